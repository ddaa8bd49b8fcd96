using System.Text.RegularExpressions;

namespace MeshFlow.Workflows;

/// <summary>
/// The structural checks every workflow passes, whether built in C# or loaded from text: ids, edge endpoints,
/// duplicate edges, loop bounds, and cycles (only declared loop edges may close one).
/// </summary>
internal static partial class GraphValidator
{
    public static List<WorkflowValidationError> Validate(IReadOnlyList<WorkflowNode> nodes, IReadOnlyList<WorkflowEdge> edges)
    {
        var errors = new List<WorkflowValidationError>();
        if (nodes.Count == 0)
        {
            errors.Add(new(WorkflowErrorCodes.EmptyWorkflow, "the workflow has no nodes", "nodes"));
            return errors;
        }

        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < nodes.Count; i++)
        {
            var node = nodes[i];
            if (!IdPattern().IsMatch(node.Id))
            {
                errors.Add(new(WorkflowErrorCodes.InvalidValue,
                    $"node id '{node.Id}' is not valid: use letters, digits, '-', '_' or '.', starting with a letter or digit",
                    $"nodes[{i}].id", node.Location));
            }

            if (!index.TryAdd(node.Id, i))
            {
                var first = nodes[index[node.Id]].Location;
                errors.Add(new(WorkflowErrorCodes.DuplicateId,
                    first is { } at
                        ? $"duplicate node id '{node.Id}' (first declared at {at})"
                        : $"duplicate node id '{node.Id}'",
                    $"nodes[{i}].id", node.Location));
            }
        }

        var seenEdges = new HashSet<(string, string, bool)>();
        var forward = new List<int>[nodes.Count];
        for (var i = 0; i < forward.Length; i++)
        {
            forward[i] = [];
        }

        var closingEdge = new Dictionary<(int, int), WorkflowEdge>();
        for (var e = 0; e < edges.Count; e++)
        {
            var edge = edges[e];
            var known = true;
            foreach (var (end, name) in new[] { (edge.From, "from"), (edge.To, "to") })
            {
                if (string.IsNullOrWhiteSpace(end))
                {
                    errors.Add(new(WorkflowErrorCodes.DanglingEdge,
                        $"edge {e + 1} has no '{name}': every edge needs both 'from' and 'to'",
                        $"edges[{e}].{name}", edge.Location));
                    known = false;
                }
                else if (!index.ContainsKey(end))
                {
                    errors.Add(new(WorkflowErrorCodes.UnknownNode,
                        $"edge '{edge.Id}' refers to unknown node '{end}' in '{name}' (known nodes: {KnownList(nodes)})",
                        $"edges[{e}].{name}", edge.Location));
                    known = false;
                }
            }

            if (edge.IsLoop && edge.MaxIterations < 1)
            {
                errors.Add(new(WorkflowErrorCodes.InvalidValue,
                    $"loop edge '{edge.Id}' has max_iterations {edge.MaxIterations}: it must be at least 1",
                    $"edges[{e}].max_iterations", edge.Location));
            }

            if (!known)
            {
                continue;
            }

            if (!seenEdges.Add((edge.From, edge.To, edge.IsLoop)))
            {
                errors.Add(new(WorkflowErrorCodes.DuplicateEdge,
                    $"edge '{edge.Id}' is declared twice", $"edges[{e}]", edge.Location));
                continue;
            }

            if (!edge.IsLoop)
            {
                var (from, to) = (index[edge.From], index[edge.To]);
                forward[from].Add(to);
                closingEdge.TryAdd((from, to), edge);
            }
        }

        foreach (var cycle in FindCycles(forward))
        {
            var names = string.Join(" → ", cycle.Select(n => nodes[n].Id));
            var closing = closingEdge[(cycle[^2], cycle[^1])];
            errors.Add(new(WorkflowErrorCodes.UndeclaredCycle,
                $"undeclared cycle {names}: only loop edges may close a cycle; mark the back-edge " +
                $"'{closing.Id}' as a loop (loop: true, with max_iterations) or remove it",
                $"edges[{IndexOf(edges, closing)}]", closing.Location));
        }

        for (var e = 0; e < edges.Count; e++)
        {
            var edge = edges[e];
            if (edge.IsLoop && index.TryGetValue(edge.From, out var src) && index.TryGetValue(edge.To, out var dst)
                && src != dst && !Reaches(forward, dst, src))
            {
                errors.Add(new(WorkflowErrorCodes.LoopWithoutCycle,
                    $"loop edge '{edge.Id}' does not close a cycle: '{edge.To}' does not lead back to '{edge.From}' " +
                    "through forward edges; a loop edge must point back to a node before its source",
                    $"edges[{e}]", edge.Location));
            }
        }

        return errors;
    }

    internal static bool Reaches(List<int>[] forward, int from, int to)
    {
        var seen = new bool[forward.Length];
        var stack = new Stack<int>();
        stack.Push(from);
        seen[from] = true;
        while (stack.Count > 0)
        {
            var n = stack.Pop();
            if (n == to)
            {
                return true;
            }

            foreach (var next in forward[n])
            {
                if (!seen[next])
                {
                    seen[next] = true;
                    stack.Push(next);
                }
            }
        }

        return false;
    }

    // One cycle per strongly connected component (Tarjan), written start → ... → start, starting from the
    // component's first declared node so the message is stable.
    private static List<int[]> FindCycles(List<int>[] forward)
    {
        var n = forward.Length;
        var order = new int[n];
        var low = new int[n];
        var onStack = new bool[n];
        Array.Fill(order, -1);
        var stack = new Stack<int>();
        var components = new List<List<int>>();
        var counter = 0;

        void Connect(int v)
        {
            order[v] = low[v] = counter++;
            stack.Push(v);
            onStack[v] = true;
            foreach (var w in forward[v])
            {
                if (order[w] < 0)
                {
                    Connect(w);
                    low[v] = Math.Min(low[v], low[w]);
                }
                else if (onStack[w])
                {
                    low[v] = Math.Min(low[v], order[w]);
                }
            }

            if (low[v] == order[v])
            {
                var component = new List<int>();
                int w;
                do
                {
                    w = stack.Pop();
                    onStack[w] = false;
                    component.Add(w);
                }
                while (w != v);
                components.Add(component);
            }
        }

        for (var v = 0; v < n; v++)
        {
            if (order[v] < 0)
            {
                Connect(v);
            }
        }

        var cycles = new List<int[]>();
        foreach (var component in components)
        {
            var start = component.Min();
            if (component.Count == 1 && !forward[start].Contains(start))
            {
                continue;
            }

            cycles.Add(ShortestCycle(forward, start, [.. component]));
        }

        return [.. cycles.OrderBy(c => c[0])];
    }

    private static int[] ShortestCycle(List<int>[] forward, int start, HashSet<int> component)
    {
        var parent = new Dictionary<int, int>();
        var queue = new Queue<int>();
        foreach (var next in forward[start])
        {
            if (next == start)
            {
                return [start, start];
            }

            if (component.Contains(next) && parent.TryAdd(next, start))
            {
                queue.Enqueue(next);
            }
        }

        while (queue.Count > 0)
        {
            var v = queue.Dequeue();
            foreach (var w in forward[v])
            {
                if (w == start)
                {
                    var path = new List<int> { start };
                    for (var at = v; at != start; at = parent[at])
                    {
                        path.Add(at);
                    }

                    path.Add(start);
                    path.Reverse(1, path.Count - 2);
                    return [.. path];
                }

                if (component.Contains(w) && parent.TryAdd(w, v))
                {
                    queue.Enqueue(w);
                }
            }
        }

        throw new InvalidOperationException("a strongly connected component without a cycle");
    }

    private static int IndexOf(IReadOnlyList<WorkflowEdge> edges, WorkflowEdge edge)
    {
        for (var i = 0; i < edges.Count; i++)
        {
            if (ReferenceEquals(edges[i], edge))
            {
                return i;
            }
        }

        return -1;
    }

    private static string KnownList(IReadOnlyList<WorkflowNode> nodes) =>
        nodes.Count <= 12
            ? string.Join(", ", nodes.Select(n => n.Id))
            : string.Join(", ", nodes.Take(12).Select(n => n.Id)) + ", ...";

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]*$")]
    private static partial Regex IdPattern();
}
