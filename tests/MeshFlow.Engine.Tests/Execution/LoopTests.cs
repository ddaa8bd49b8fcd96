using MeshFlow.Agents;
using MeshFlow.Events;
using MeshFlow.Execution;
using MeshFlow.Governance;
using MeshFlow.Runs;
using MeshFlow.Tests.Support;
using MeshFlow.Workflows;

namespace MeshFlow.Tests.Execution;

public sealed class LoopTests
{
    private static Workflow Review(int maxIterations, Policy? policy = null, params string[] verdicts)
    {
        var builder = new WorkflowBuilder("review")
            .AddNode(new AgentNode("writer") { Model = ModelNames.Scripted, Responses = ["draft 1", "draft 2", "draft 3", "draft 4"] })
            .AddNode(new AgentNode("critic") { Model = ModelNames.Scripted, Responses = [.. verdicts] })
            .AddEdge("writer", "critic")
            .AddLoopEdge("critic", "writer", "!contains(output, 'APPROVED')", maxIterations)
            .WithOutput("writer");
        if (policy is not null)
        {
            builder.WithPolicy(policy);
        }

        return builder.Build();
    }

    [Fact]
    public async Task A_critic_that_approves_on_its_third_review_runs_exactly_three_iterations()
    {
        var workflow = Review(maxIterations: 3, verdicts: ["REVISE: tighten", "REVISE: shorter", "APPROVED"]);

        var capture = await RunCapture.RunAsync(new MeshFlowEngine(), workflow, "Draft a clause");

        Assert.Equal(RunStatus.Completed, capture.Result.Status);
        Assert.Equal(
            ["writer:1", "critic:1", "writer:2", "critic:2", "writer:3", "critic:3"],
            capture.Result.Steps.Select(s => s.StepId));
        Assert.Equal("draft 3", capture.Result.Output);
        Assert.Equal(6, capture.Of<StepEndEvent>().Count());
    }

    [Fact]
    public async Task The_same_loop_with_max_iterations_two_ends_with_MaxIterationsExceeded_naming_the_edge()
    {
        var workflow = Review(maxIterations: 2, verdicts: ["REVISE", "REVISE", "APPROVED"]);

        var capture = await RunCapture.RunAsync(new MeshFlowEngine(), workflow, "Draft a clause");

        Assert.Equal(RunStatus.Failed, capture.Result.Status);
        Assert.Equal(RunErrorCodes.MaxIterationsExceeded, capture.Result.Error!.Code);
        Assert.Equal("critic->writer", capture.Result.Error.EdgeId);
        Assert.Contains("critic->writer", capture.Result.Error.Message, StringComparison.Ordinal);
        Assert.Equal(4, capture.Result.Steps.Count);
        var error = Assert.Single(capture.Of<ErrorEvent>());
        Assert.Equal(RunErrorCodes.MaxIterationsExceeded, error.Code);
        Assert.Equal(RunStatus.Failed, Assert.IsType<RunEndEvent>(capture.Events[^1]).Status);
    }

    [Fact]
    public async Task MaxSteps_stops_a_loop_that_its_own_bound_would_allow()
    {
        var policy = Policy.ForMode(PolicyModes.Dev) with { MaxSteps = 5 };
        var workflow = Review(maxIterations: 10, policy, verdicts: ["REVISE", "REVISE", "REVISE", "REVISE"]);

        var result = await new MeshFlowEngine().RunAsync(workflow, "Draft");

        Assert.Equal(RunStatus.Blocked, result.Status);
        Assert.Equal(RunErrorCodes.Blocked, result.Error!.Code);
        Assert.Contains("MaxSteps (5)", result.Error.Message, StringComparison.Ordinal);
        Assert.Equal(6, result.Steps.Count);
        var last = result.Steps[^1];
        Assert.Equal(Verdict.Blocked, last.Verdict);
        Assert.Equal(BlockReason.Budget, last.BlockReason);
        Assert.Equal("critic:3", last.StepId);
        Assert.Equal(string.Empty, last.Output);
    }

    [Fact]
    public async Task A_loop_pass_sees_its_previous_output_and_the_feedback_that_sent_it_back()
    {
        var seen = new List<string>();
        var workflow = new WorkflowBuilder("refine")
            .AddNode(new FunctionNode("writer", ctx =>
            {
                seen.Add($"{ctx.Iteration}|{ctx.Feedback?.NodeId}|{ctx.Feedback?.Output}");
                return $"draft {ctx.Iteration}";
            }))
            .AddNode(new FunctionNode("critic", ctx => ctx.InputText == "draft 2" ? "APPROVED" : $"fix {ctx.InputText}"))
            .AddEdge("writer", "critic")
            .AddLoopEdge("critic", "writer", "!contains(output, 'APPROVED')")
            .Build();

        var result = await new MeshFlowEngine().RunAsync(workflow, "go");

        Assert.Equal(RunStatus.Completed, result.Status);
        Assert.Equal(["1||", "2|critic|fix draft 1"], seen);
    }

    [Fact]
    public async Task Nodes_after_the_loop_run_once_the_loop_ends_and_see_the_final_pass()
    {
        var workflow = new WorkflowBuilder("publish")
            .AddNode(new FunctionNode("writer", ctx => $"draft {ctx.Iteration}"))
            .AddNode(new FunctionNode("critic", ctx => ctx.Iteration < 3 ? "REVISE" : "APPROVED"))
            .AddNode(new FunctionNode("publish", ctx => "published " + ctx.Input + " after " + ctx.State.Get<int>("x")))
            .AddEdge("writer", "critic")
            .AddEdge("critic", "publish", "contains(output, 'APPROVED')")
            .AddLoopEdge("critic", "writer", "!contains(output, 'APPROVED')", 5)
            .Build();

        var result = await new MeshFlowEngine().RunAsync(workflow, "doc");

        Assert.Equal(RunStatus.Completed, result.Status);
        Assert.Equal(["writer:1", "critic:1", "writer:2", "critic:2", "writer:3", "critic:3", "publish:1"],
            result.Steps.Select(s => s.StepId));
        Assert.Equal("published doc after 0", result.Output);
    }

    [Fact]
    public async Task A_nested_loop_counts_its_iterations_afresh_on_each_outer_pass()
    {
        // outer: a -> b -> c, loop c->a twice; inner: loop b->b until its own pass 2.
        var workflow = new WorkflowBuilder("nested")
            .AddFunction("a", ctx => "a")
            .AddFunction("b", ctx => "b")
            .AddFunction("c", ctx => "c")
            .AddEdge("a", "b")
            .AddEdge("b", "c")
            .AddLoopEdge("b", "b", "iteration < 2", maxIterations: 2)
            .AddLoopEdge("c", "a", "iteration < 2", maxIterations: 2)
            .Build();

        var result = await new MeshFlowEngine().RunAsync(workflow, "x");

        Assert.Equal(RunStatus.Completed, result.Status);
        Assert.Equal(["a:1", "b:1", "b:2", "c:1", "a:2", "b:3", "b:4", "c:2"], result.Steps.Select(s => s.StepId));
    }

    [Fact]
    public async Task A_condition_that_cannot_be_evaluated_fails_the_run_naming_the_edge()
    {
        var workflow = new WorkflowBuilder("bad")
            .AddFunction("a", _ => "text")
            .AddFunction("b", _ => "b")
            .AddEdge("a", "b", "output > 3")
            .Build();

        var result = await new MeshFlowEngine().RunAsync(workflow, "x");

        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.Equal(RunErrorCodes.ConditionFailed, result.Error!.Code);
        Assert.Equal("a->b", result.Error.EdgeId);
    }
}
