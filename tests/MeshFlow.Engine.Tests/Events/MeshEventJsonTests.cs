using System.Text.Json;
using MeshFlow.Events;
using MeshFlow.Governance;
using MeshFlow.Runs;

namespace MeshFlow.Tests.Events;

public sealed class MeshEventJsonTests
{
    private static readonly DateTimeOffset At = new(2026, 11, 25, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_token_delta_has_the_one_wire_shape_with_its_text_under_data()
    {
        MeshEvent evt = new TokenDeltaEvent { RunId = "run_1", NodeId = "writer", StepId = "writer:1", AgentId = "writer", Text = "Hel", Seq = 17, Timestamp = At };

        var json = JsonSerializer.Serialize(evt);

        Assert.Equal(
            "{\"seq\":17,\"run_id\":\"run_1\",\"kind\":\"token_delta\",\"ts\":\"2026-11-25T10:00:00+00:00\",\"node_id\":\"writer\",\"step_id\":\"writer:1\",\"agent_id\":\"writer\",\"data\":{\"text\":\"Hel\"}}",
            json);
    }

    public static TheoryData<MeshEvent> Events() =>
    [
        new RunStartEvent { RunId = "r", Workflow = "w", Input = "in", Policy = "strict", Seq = 1, Timestamp = At },
        new StepStartEvent { RunId = "r", NodeId = "n", StepId = "n:1", Iteration = 1, Model = "offline", Offline = true, Seq = 2, Timestamp = At },
        new TokenDeltaEvent { RunId = "r", NodeId = "n", StepId = "n:1", Text = "x", Seq = 3, Timestamp = At },
        new ToolCallEvent { RunId = "r", CallId = "c1", Name = "search", Arguments = "{\"q\":1}", Seq = 4, Timestamp = At },
        new ToolResultEvent { RunId = "r", CallId = "c1", Result = "found", Seq = 5, Timestamp = At },
        new StepEndEvent
        {
            RunId = "r", NodeId = "n", StepId = "n:1", Output = "full", Verdict = Verdict.Blocked, BlockReason = BlockReason.CircuitBreaker,
            Tokens = new TokenUsage(10, 5, true), CostUsd = 0.0012m, DurationMs = 4.5, Model = "gpt-4o", Seq = 6, Timestamp = At,
        },
        new HitlPauseEvent { RunId = "r", Reason = "approval", Seq = 7, Timestamp = At },
        new RunEndEvent
        {
            RunId = "r", Status = RunStatus.Failed, Output = "o", Tokens = new TokenUsage(1, 2), CostUsd = 1m,
            Error = new RunError(RunErrorCodes.MaxIterationsExceeded, "too many", "critic", "critic->writer"), Seq = 8, Timestamp = At,
        },
        new ErrorEvent { RunId = "r", Code = "NodeFailed", Message = "boom", NodeId = "n", Seq = 9, Timestamp = At },
    ];

    [Theory]
    [MemberData(nameof(Events))]
    public void Every_event_kind_round_trips_through_json(MeshEvent evt)
    {
        var json = JsonSerializer.Serialize(evt);
        var back = JsonSerializer.Deserialize<MeshEvent>(json);

        Assert.Equal(evt, back);
        using var document = JsonDocument.Parse(json);
        Assert.Equal(evt.Kind, document.RootElement.GetProperty("kind").GetString());
        Assert.Equal(JsonValueKind.Object, document.RootElement.GetProperty("data").ValueKind);
    }

    [Fact]
    public void A_step_end_writes_verdict_and_block_reason_as_their_wire_names()
    {
        var json = JsonSerializer.Serialize<MeshEvent>(new StepEndEvent { RunId = "r", Output = "", Verdict = Verdict.Escalate, BlockReason = BlockReason.CircuitBreaker });

        using var document = JsonDocument.Parse(json);
        var data = document.RootElement.GetProperty("data");
        Assert.Equal("escalate", data.GetProperty("verdict").GetString());
        Assert.Equal("circuit_breaker", data.GetProperty("block_reason").GetString());
        Assert.True(data.GetProperty("tokens").TryGetProperty("total", out _));
    }

    [Fact]
    public void An_unknown_kind_is_refused()
    {
        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<MeshEvent>("{\"run_id\":\"r\",\"kind\":\"mystery\",\"data\":{}}"));

        Assert.Contains("mystery", error.Message, StringComparison.Ordinal);
    }
}
