using MeshFlow.Governance;
using MeshFlow.Workflows;

namespace MeshFlow.Benchmarks;

/// <summary>The workflows the benchmarks run, all on the zero-latency model.</summary>
internal static class Workflows
{
    // The default policy, as users run it (budget checks and a step timeout on every step), with the step limit
    // lifted so the long chains and loops fit.
    public static Policy Standard { get; } = Policy.ForMode(PolicyModes.Standard) with { MaxSteps = 100_000 };

    public static Workflow Chain(int length)
    {
        var model = new ZeroLatencyChatClient(tokens: 1);
        var builder = new WorkflowBuilder("chain").WithPolicy(Standard);
        for (var i = 0; i < length; i++)
        {
            builder.AddNode(new AgentNode($"n{i}") { ChatClient = model });
            if (i > 0)
            {
                builder.AddEdge($"n{i - 1}", $"n{i}");
            }
        }

        return builder.Build();
    }

    public static Workflow FanOut(int width)
    {
        var model = new ZeroLatencyChatClient(tokens: 1);
        var builder = new WorkflowBuilder("fan").WithPolicy(Standard).AddNode(new RouterNode("start"));
        var branches = new List<string>();
        for (var i = 0; i < width; i++)
        {
            var id = $"b{i}";
            branches.Add(id);
            builder.AddNode(new AgentNode(id) { ChatClient = model }).AddEdge("start", id);
        }

        return builder.AddNode(new RouterNode("join")).AddFanIn(branches, "join").Build();
    }

    public static Workflow Loop(int iterations)
    {
        var model = new ZeroLatencyChatClient(tokens: 1);
        return new WorkflowBuilder("loop").WithPolicy(Standard)
            .AddNode(new AgentNode("writer") { ChatClient = model })
            .AddNode(new AgentNode("critic") { ChatClient = model })
            .AddEdge("writer", "critic")
            .AddLoopEdge("critic", "writer", $"iteration < {iterations}", iterations)
            .Build();
    }

    public static Workflow Stream(int tokens) =>
        new WorkflowBuilder("stream").WithPolicy(Standard)
            .AddNode(new AgentNode("talker") { ChatClient = new ZeroLatencyChatClient(tokens) })
            .Build();
}
