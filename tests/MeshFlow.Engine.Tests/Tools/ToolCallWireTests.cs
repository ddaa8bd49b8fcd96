using System.Text.Json;
using MeshFlow.Events;
using MeshFlow.Governance.Risk;
using MeshFlow.Runs;

namespace MeshFlow.Tests.Tools;

public sealed class ToolCallWireTests
{
    [Fact]
    public void A_record_written_before_durations_and_tiers_were_kept_still_reads()
    {
        var old = JsonSerializer.Deserialize<ToolCallRecord>("""{"call_id":"c1","name":"lookup","arguments":"{}","result":"found"}""")!;

        Assert.Equal(new ToolCallRecord("c1", "lookup", "{}", "found"), old);
        Assert.Null(old.DurationMs);
        Assert.Null(old.RiskTier);
    }

    [Fact]
    public void Duration_and_tier_are_written_by_their_wire_names_and_only_when_known()
    {
        var ran = new ToolCallRecord("c1", "lookup", "{}", "found") { DurationMs = 12.5, RiskTier = RiskTier.Medium };

        Assert.Equal("""{"call_id":"c1","name":"lookup","arguments":"{}","result":"found","duration_ms":12.5,"risk_tier":"medium"}""", JsonSerializer.Serialize(ran));
        Assert.Equal(ran, JsonSerializer.Deserialize<ToolCallRecord>(JsonSerializer.Serialize(ran)));
        Assert.Equal("""{"call_id":"c1","name":"lookup","arguments":"{}","result":null}""", JsonSerializer.Serialize(new ToolCallRecord("c1", "lookup", "{}", null)));
    }

    [Fact]
    public void A_tool_result_event_carries_duration_and_tier_on_the_wire_and_back()
    {
        MeshEvent evt = new ToolResultEvent { RunId = "r", CallId = "c1", Result = "found", DurationMs = 3.25, RiskTier = RiskTier.High, Seq = 5 };

        var json = JsonSerializer.Serialize(evt);

        using var document = JsonDocument.Parse(json);
        var data = document.RootElement.GetProperty("data");
        Assert.Equal((3.25, "high"), (data.GetProperty("duration_ms").GetDouble(), data.GetProperty("risk_tier").GetString()));
        Assert.Equal(evt, JsonSerializer.Deserialize<MeshEvent>(json));
        var notRun = JsonSerializer.Serialize<MeshEvent>(new ToolResultEvent { RunId = "r", CallId = "c2", Result = "not run: blocked" });
        Assert.Contains("\"duration_ms\":null,\"risk_tier\":null", notRun, StringComparison.Ordinal);
    }
}
