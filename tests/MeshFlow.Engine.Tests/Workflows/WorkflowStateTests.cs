using System.Text.Json;
using MeshFlow.Execution;
using MeshFlow.Workflows;

namespace MeshFlow.Tests.Workflows;

public sealed class WorkflowStateTests
{
    private sealed record Finding(string Clause, int Severity);

    [Fact]
    public void Typed_values_round_trip_through_json()
    {
        var state = new WorkflowState();
        state.Set("finding", new Finding("indemnity", 3));
        state.Set("score", 0.75);

        var json = JsonSerializer.Serialize(state);
        var restored = JsonSerializer.Deserialize<WorkflowState>(json)!;

        Assert.Equal("{\"finding\":{\"Clause\":\"indemnity\",\"Severity\":3},\"score\":0.75}", json);
        Assert.Equal(new Finding("indemnity", 3), restored.Get<Finding>("finding"));
        Assert.Equal(0.75, restored.Get<double>("score"));
        Assert.False(restored.TryGet<int>("missing", out _));
    }

    [Fact]
    public void State_that_is_not_a_json_object_is_refused()
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<WorkflowState>("[1,2]"));
    }

    [Fact]
    public async Task Nodes_share_state_and_conditions_route_on_it()
    {
        var workflow = new WorkflowBuilder("stateful")
            .AddFunction("score", ctx =>
            {
                ctx.State.Set("risk", 8);
                return "scored";
            })
            .AddFunction("escalate", ctx => $"risk {ctx.State.Get<int>("risk")} escalated")
            .AddFunction("approve", _ => "approved")
            .AddEdge("score", "escalate", "state.risk >= 7")
            .AddEdge("score", "approve", "state.risk < 7")
            .Build();

        var result = await new MeshFlowEngine().RunAsync(workflow, "x");

        Assert.Equal("risk 8 escalated", result.Output);
        Assert.Equal(8, result.State.Get<int>("risk"));
    }

    [Fact]
    public async Task A_run_result_serializes_to_json_and_back()
    {
        var workflow = new WorkflowBuilder("json").AddFunction("a", _ => "out").Build();
        var result = await new MeshFlowEngine().RunAsync(workflow, "in");

        var json = JsonSerializer.Serialize(result);
        using var document = JsonDocument.Parse(json);

        Assert.Equal("completed", document.RootElement.GetProperty("status").GetString());
        Assert.Equal("a:1", document.RootElement.GetProperty("steps")[0].GetProperty("step_id").GetString());
        Assert.Equal("commit", document.RootElement.GetProperty("steps")[0].GetProperty("verdict").GetString());
    }
}
