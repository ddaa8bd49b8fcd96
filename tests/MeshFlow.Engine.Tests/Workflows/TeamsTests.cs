using MeshFlow.Agents;
using MeshFlow.Execution;
using MeshFlow.Runs;
using MeshFlow.Tests.Support;
using MeshFlow.Workflows;

namespace MeshFlow.Tests.Workflows;

public sealed class TeamsTests
{
    private readonly MeshFlowEngine _engine = new();

    [Fact]
    public async Task Sequential_passes_each_output_to_the_next_member()
    {
        var workflow = Teams.Sequential("seq",
            new FunctionNode("upper", ctx => ctx.InputText.ToUpperInvariant()),
            new FunctionNode("exclaim", ctx => ctx.InputText + "!")).Build();

        var result = await _engine.RunAsync(workflow, "hello");

        Assert.Equal("HELLO!", result.Output);
    }

    [Fact]
    public async Task Parallel_runs_members_on_the_input_and_merges_them_in_member_order()
    {
        var workflow = Teams.Parallel("par", [
            new FunctionNode("legal", ctx => "legal:" + ctx.Input),
            new FunctionNode("finance", ctx => "finance:" + ctx.Input),
        ]).Build();

        var result = await _engine.RunAsync(workflow, "deal");

        Assert.Equal(RunStatus.Completed, result.Status);
        Assert.Equal("## legal\nlegal:deal\n\n## finance\nfinance:deal", result.Output);
    }

    [Fact]
    public async Task Hierarchical_delegates_to_the_workers_the_supervisor_names_and_aggregates_their_results()
    {
        var supervisor = new AgentNode("lead") { ChatClient = DelegateChatClient.FromChunks("Delegate to ", "research and drafting.") };
        var workflow = Teams.Hierarchical("team", supervisor, [
            new FunctionNode("research", _ => "facts"),
            new FunctionNode("drafting", _ => "draft"),
            new FunctionNode("review", _ => "reviewed"),
        ]).Build();

        var result = await _engine.RunAsync(workflow, "Write a memo");

        Assert.Equal(RunStatus.Completed, result.Status);
        Assert.Equal(["drafting:1", "lead.aggregate:1", "lead:1", "research:1"], result.Steps.Select(s => s.StepId).Order(StringComparer.Ordinal));
        Assert.DoesNotContain(result.Steps, s => s.NodeId == "review");
        var aggregate = result.Steps.Single(s => s.NodeId == "lead.aggregate");
        Assert.Equal("lead", aggregate.AgentId);
        Assert.Contains("Output of research:\nfacts", aggregate.InputTask, StringComparison.Ordinal);
        Assert.Contains("Output of drafting:\ndraft", aggregate.InputTask, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Hierarchical_runs_every_worker_when_the_plan_names_none()
    {
        var supervisor = new AgentNode("lead") { Model = ModelNames.Scripted, Responses = ["Everyone, go."] };
        var workflow = Teams.Hierarchical("team", supervisor, [
            new FunctionNode("a", _ => "A"),
            new FunctionNode("b", _ => "B"),
        ]).Build();

        var result = await _engine.RunAsync(workflow, "x");

        Assert.Contains(result.Steps, s => s.NodeId == "a");
        Assert.Contains(result.Steps, s => s.NodeId == "b");
    }

    [Fact]
    public async Task Reflective_refines_until_the_critic_approves_and_outputs_the_last_draft()
    {
        var workflow = Teams.Reflective("reflect",
            new AgentNode("writer") { Model = ModelNames.Scripted, Responses = ["v1", "v2", "v3"] },
            new AgentNode("critic") { Model = ModelNames.Scripted, Responses = ["too long", "APPROVED"] }).Build();

        var result = await _engine.RunAsync(workflow, "x");

        Assert.Equal(RunStatus.Completed, result.Status);
        Assert.Equal("v2", result.Output);
        Assert.Equal(4, result.Steps.Count);
        var loop = Assert.Single(workflow.Edges, e => e.IsLoop);
        Assert.Equal(("critic", "writer"), (loop.From, loop.To));
    }
}
