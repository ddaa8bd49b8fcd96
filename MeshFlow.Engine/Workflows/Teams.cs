using MeshFlow.Conditions;

namespace MeshFlow.Workflows;

/// <summary>
/// Team patterns built on the graph. Each returns a <see cref="WorkflowBuilder"/>, so a pattern can be extended
/// (more nodes, a policy) before <see cref="WorkflowBuilder.Build"/>.
/// </summary>
public static class Teams
{
    /// <summary>Each member works on the previous member's output, in order.</summary>
    public static WorkflowBuilder Sequential(string name, params IEnumerable<WorkflowNode> members)
    {
        var builder = new WorkflowBuilder(name);
        WorkflowNode? previous = null;
        foreach (var member in members)
        {
            builder.AddNode(member);
            if (previous is not null)
            {
                builder.AddEdge(previous.Id, member.Id);
            }

            previous = member;
        }

        return builder;
    }

    /// <summary>
    /// Every member works on the run's input at the same time; <paramref name="aggregator"/> (or, when null, a
    /// router named <c>merge</c>) receives all their outputs in member order.
    /// </summary>
    public static WorkflowBuilder Parallel(string name, IEnumerable<WorkflowNode> members, WorkflowNode? aggregator = null)
    {
        var builder = new WorkflowBuilder(name);
        var ids = new List<string>();
        foreach (var member in members)
        {
            builder.AddNode(member);
            ids.Add(member.Id);
        }

        aggregator ??= new RouterNode("merge");
        builder.AddNode(aggregator).AddFanIn(ids, aggregator.Id);
        return builder;
    }

    /// <summary>
    /// A supervisor delegates to workers and aggregates their results. The supervisor's plan names the workers
    /// it wants by id; if it names none, every worker runs. The chosen workers run concurrently, then the
    /// supervisor's aggregation step (<c>{supervisor}.aggregate</c>, same agent and model) merges their outputs.
    /// </summary>
    public static WorkflowBuilder Hierarchical(string name, AgentNode supervisor, IEnumerable<WorkflowNode> workers,
        string? aggregationInstructions = null)
    {
        ArgumentNullException.ThrowIfNull(supervisor);
        var team = workers.ToList();
        var builder = new WorkflowBuilder(name).AddNode(supervisor);
        var aggregate = new AgentNode(supervisor.Id + ".aggregate")
        {
            AgentId = supervisor.AgentId,
            Role = supervisor.Role ?? "supervisor",
            Model = supervisor.Model,
            Provider = supervisor.Provider,
            FallbackModels = supervisor.FallbackModels,
            ChatClient = supervisor.ChatClient,
            Risk = supervisor.Risk,
            Instructions = aggregationInstructions
                ?? "You supervised the workers whose outputs follow. Combine them into one answer to the original request.",
        };
        var ids = team.Select(w => w.Id).ToArray();
        foreach (var worker in team)
        {
            var id = worker.Id;
            builder.AddNode(worker).AddEdge(supervisor.Id, id, scope => Delegates(scope, id, ids));
        }

        return builder.AddNode(aggregate).AddFanIn(ids, aggregate.Id).WithOutput(aggregate.Id);
    }

    /// <summary>
    /// Generate, critique, refine: the generator drafts, the critic reviews, and a loop edge from the critic (the
    /// last node) back to the generator (the first) sends the critique back until
    /// <paramref name="approvedWhen"/> holds on the critic's output, for at most <paramref name="maxIterations"/>
    /// passes. On later passes the generator sees its previous draft and the critique. The run's output is the
    /// generator's last draft.
    /// </summary>
    public static WorkflowBuilder Reflective(string name, WorkflowNode generator, WorkflowNode critic,
        string approvedWhen = "contains(output, 'APPROVED')", int maxIterations = 3)
    {
        ArgumentNullException.ThrowIfNull(generator);
        ArgumentNullException.ThrowIfNull(critic);
        return new WorkflowBuilder(name)
            .AddNode(generator)
            .AddNode(critic)
            .AddEdge(generator.Id, critic.Id)
            .AddLoopEdge(critic.Id, generator.Id, $"!({approvedWhen})", maxIterations)
            .WithOutput(generator.Id);
    }

    private static bool Delegates(IConditionScope scope, string worker, string[] workers)
    {
        var plan = scope.Output;
        if (plan.Contains(worker, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return !workers.Any(w => plan.Contains(w, StringComparison.OrdinalIgnoreCase));
    }
}
