using MeshFlow.Workflows;

namespace MeshFlow.Tests.Workflows;

public sealed class WorkflowBuilderTests
{
    [Fact]
    public void A_cycle_not_made_of_loop_edges_is_rejected_naming_its_nodes_in_order()
    {
        var builder = new WorkflowBuilder("cycle")
            .AddAgent("start").AddAgent("a").AddAgent("b").AddAgent("c")
            .AddEdge("start", "a").AddEdge("a", "b").AddEdge("b", "c").AddEdge("c", "a");

        var error = Assert.Single(Assert.Throws<WorkflowValidationException>(builder.Build).Errors);

        Assert.Equal(WorkflowErrorCodes.UndeclaredCycle, error.Code);
        Assert.Contains("a → b → c → a", error.Message, StringComparison.Ordinal);
        Assert.Contains("'c->a'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_cycle_with_its_back_edge_declared_as_a_loop_builds()
    {
        var workflow = new WorkflowBuilder("loop")
            .AddAgent("a").AddAgent("b").AddAgent("c")
            .AddEdge("a", "b").AddEdge("b", "c").AddLoopEdge("c", "a", "iteration < 3")
            .Build();

        Assert.Equal(3, workflow.Edges.Count);
        Assert.True(workflow.Edges[2].IsLoop);
        Assert.Equal(10, workflow.Edges[2].MaxIterations);
    }

    [Fact]
    public void A_self_edge_is_an_undeclared_cycle()
    {
        var builder = new WorkflowBuilder("self").AddAgent("a").AddEdge("a", "a");

        var error = Assert.Single(Assert.Throws<WorkflowValidationException>(builder.Build).Errors);

        Assert.Contains("a → a", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_problem_is_reported_not_only_the_first()
    {
        var builder = new WorkflowBuilder("many")
            .AddAgent("a").AddAgent("a").AddAgent("b")
            .AddEdge("a", "ghost")
            .AddEdge("b", "a", "contains(output")
            .AddLoopEdge("a", "b", "true", maxIterations: 0)
            .WithOutput("nobody");

        var errors = Assert.Throws<WorkflowValidationException>(builder.Build).Errors;

        Assert.Contains(errors, e => e.Code == WorkflowErrorCodes.DuplicateId && e.Message.Contains("'a'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Code == WorkflowErrorCodes.UnknownNode && e.Message.Contains("'ghost'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Code == WorkflowErrorCodes.InvalidCondition);
        Assert.Contains(errors, e => e.Code == WorkflowErrorCodes.InvalidValue && e.Message.Contains("max_iterations 0", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Code == WorkflowErrorCodes.UnknownNode && e.Message.Contains("'nobody'", StringComparison.Ordinal));
    }

    [Fact]
    public void A_loop_edge_that_points_forward_does_not_close_a_cycle_and_is_rejected()
    {
        var builder = new WorkflowBuilder("forward-loop")
            .AddAgent("a").AddAgent("b").AddAgent("c")
            .AddEdge("a", "b")
            .AddLoopEdge("a", "c", "true");

        var error = Assert.Single(Assert.Throws<WorkflowValidationException>(builder.Build).Errors);

        Assert.Equal(WorkflowErrorCodes.LoopWithoutCycle, error.Code);
        Assert.Contains("'a->c'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_empty_workflow_is_rejected()
    {
        var error = Assert.Single(Assert.Throws<WorkflowValidationException>(new WorkflowBuilder("empty").Build).Errors);

        Assert.Equal(WorkflowErrorCodes.EmptyWorkflow, error.Code);
    }

    [Fact]
    public void A_duplicate_edge_is_rejected()
    {
        var builder = new WorkflowBuilder("dup").AddAgent("a").AddAgent("b").AddEdge("a", "b").AddEdge("a", "b");

        Assert.Equal(WorkflowErrorCodes.DuplicateEdge, Assert.Single(Assert.Throws<WorkflowValidationException>(builder.Build).Errors).Code);
    }

    [Fact]
    public void A_human_step_is_built_with_its_instructions_between_other_nodes()
    {
        var workflow = new WorkflowBuilder("review")
            .AddAgent("writer", "Draft the clause.")
            .AddHuman("approve", "Check the clause", role: "counsel")
            .AddEdge("writer", "approve")
            .Build();

        var human = Assert.IsType<HumanNode>(workflow.FindNode("approve"));
        Assert.Equal(("Check the clause", "counsel", NodeKind.Human), (human.Instructions, human.Role, human.Kind));
        Assert.Equal(["writer", "approve"], workflow.Nodes.Select(n => n.Id));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void A_human_step_without_instructions_cannot_be_made(string instructions)
    {
        Assert.Throws<ArgumentException>(() => new WorkflowBuilder("review").AddHuman("approve", instructions));
        Assert.Throws<ArgumentNullException>(() => new HumanNode("approve", null!));
    }
}
