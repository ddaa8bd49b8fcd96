namespace MeshFlow.Workflows;

/// <summary>A validated workflow compiled to index arrays, so a run's scheduler never hashes an id.</summary>
internal sealed class WorkflowGraph
{
    public WorkflowGraph(IReadOnlyList<WorkflowNode> nodes, IReadOnlyList<WorkflowEdge> edges, IReadOnlyList<string> outputNodes)
    {
        Nodes = [.. nodes];
        Edges = [.. edges];
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < Nodes.Length; i++)
        {
            index[Nodes[i].Id] = i;
        }

        IndexOf = index;
        EdgeFrom = [.. Edges.Select(e => index[e.From])];
        EdgeTo = [.. Edges.Select(e => index[e.To])];

        var inForward = Enumerable.Range(0, Nodes.Length).Select(_ => new List<int>()).ToArray();
        var outForward = Enumerable.Range(0, Nodes.Length).Select(_ => new List<int>()).ToArray();
        var outLoop = Enumerable.Range(0, Nodes.Length).Select(_ => new List<int>()).ToArray();
        var successors = Enumerable.Range(0, Nodes.Length).Select(_ => new List<int>()).ToArray();
        for (var e = 0; e < Edges.Length; e++)
        {
            if (Edges[e].IsLoop)
            {
                outLoop[EdgeFrom[e]].Add(e);
            }
            else
            {
                outForward[EdgeFrom[e]].Add(e);
                inForward[EdgeTo[e]].Add(e);
                successors[EdgeFrom[e]].Add(EdgeTo[e]);
            }
        }

        InForward = [.. inForward.Select(l => l.ToArray())];
        OutForward = [.. outForward.Select(l => l.ToArray())];
        OutLoop = [.. outLoop.Select(l => l.ToArray())];

        LoopBody = new int[Edges.Length][];
        for (var e = 0; e < Edges.Length; e++)
        {
            LoopBody[e] = Edges[e].IsLoop ? ReachableFrom(successors, EdgeTo[e]) : [];
        }

        LoopBodyMask = new bool[Edges.Length][];
        for (var e = 0; e < Edges.Length; e++)
        {
            LoopBodyMask[e] = new bool[Nodes.Length];
            foreach (var n in LoopBody[e])
            {
                LoopBodyMask[e][n] = true;
            }
        }

        LoopEdges = [.. Enumerable.Range(0, Edges.Length).Where(e => Edges[e].IsLoop)];
        Entries = [.. Enumerable.Range(0, Nodes.Length).Where(n => InForward[n].Length == 0)];
        Outputs = outputNodes.Count > 0
            ? [.. outputNodes.Select(id => index[id])]
            : [.. Enumerable.Range(0, Nodes.Length).Where(n => OutForward[n].Length == 0)];
    }

    public WorkflowNode[] Nodes { get; }

    public WorkflowEdge[] Edges { get; }

    public IReadOnlyDictionary<string, int> IndexOf { get; }

    public int[] EdgeFrom { get; }

    public int[] EdgeTo { get; }

    /// <summary>Per node, its incoming forward edges in declaration order (the fan-in merge order).</summary>
    public int[][] InForward { get; }

    /// <summary>Per node, its outgoing forward edges.</summary>
    public int[][] OutForward { get; }

    /// <summary>Per node, its outgoing loop edges in declaration order.</summary>
    public int[][] OutLoop { get; }

    /// <summary>
    /// Per loop edge, the nodes that run again when it is taken: everything forward-reachable from its target.
    /// The set is closed under forward edges, so no state outside it depends on state inside it.
    /// </summary>
    public int[][] LoopBody { get; }

    /// <summary>Per loop edge, <see cref="LoopBody"/> as a membership mask.</summary>
    public bool[][] LoopBodyMask { get; }

    /// <summary>The loop edges.</summary>
    public int[] LoopEdges { get; }

    /// <summary>Nodes without incoming forward edges: they run first.</summary>
    public int[] Entries { get; }

    /// <summary>The nodes whose outputs make the run's output, in declaration order.</summary>
    public int[] Outputs { get; }

    private static int[] ReachableFrom(List<int>[] successors, int start)
    {
        var seen = new bool[successors.Length];
        var stack = new Stack<int>();
        stack.Push(start);
        seen[start] = true;
        while (stack.Count > 0)
        {
            foreach (var next in successors[stack.Pop()])
            {
                if (!seen[next])
                {
                    seen[next] = true;
                    stack.Push(next);
                }
            }
        }

        return [.. Enumerable.Range(0, successors.Length).Where(n => seen[n])];
    }
}
