using System.Text.Json;
using MeshFlow.Approvals;
using MeshFlow.Governance;
using MeshFlow.Ledger;
using MeshFlow.Ledger.Canonical;
using MeshFlow.Privacy;
using MeshFlow.Runs;

namespace MeshFlow.Steps;

/// <summary>
/// What a reviewer approved of an escalated step, for its run after the approval: the escalation at the stage it was
/// approved (before the call, or the one tool call, by name and arguments) is lifted and no other; and the tool calls
/// the escalated attempt already made are answered from their recorded results, never run twice.
/// </summary>
internal sealed class StepApproval
{
    private readonly List<ToolCallRecord> _prior;
    private readonly ToolCallRecord? _call;
    private readonly SinkFilter _sinks;

    private StepApproval(string stage, ToolCallRecord? call, List<ToolCallRecord> prior, SinkFilter sinks)
    {
        Stage = stage;
        _call = call;
        _prior = prior;
        _sinks = sinks;
    }

    /// <summary><see cref="ApprovalStage.BeforeStep"/> or <see cref="ApprovalStage.ToolCall"/>.</summary>
    public string Stage { get; }

    /// <summary>
    /// The approval of an escalated step's record, at the stage the run paused. The record holds calls as they left
    /// the step (<paramref name="sinks"/> cleaned them), so the calls of the run after the approval are compared
    /// cleaned the same way.
    /// </summary>
    public static StepApproval Of(LedgerRecord escalated, string stage, SinkFilter sinks)
    {
        var calls = escalated.Redacted ? [] : LedgerPayloads.ReadStep(escalated.Payload).ToolCalls;
        // The escalated call is the one that was refused (its result says it did not run): of the calls of one response,
        // which run at once, the first refused is the one the step escalated for (ToolGate). Every other call with a
        // result ran, those after it too.
        var refused = -1;
        for (var i = 0; i < calls.Count; i++)
        {
            if (calls[i].Result is { } result && result.StartsWith(StepText.NotRunPrefix, StringComparison.Ordinal))
            {
                refused = i;
                break;
            }
        }

        var prior = calls.Where(c => c.Result is { } result && !result.StartsWith(StepText.NotRunPrefix, StringComparison.Ordinal)).ToList();

        // A call whose result the guardian withheld did run: approved, its recorded result is what the model is given.
        if (refused < 0 && !escalated.Redacted && stage == ApprovalStage.ToolCall
            && LedgerPayloads.ReadStep(escalated.Payload).Guardian?.LastOrDefault(IsWithheldResult) is { CallId: { } withheld }
            && calls.ToList().FindLastIndex(c => c.CallId == withheld) is var index and >= 0)
        {
            return new StepApproval(stage, calls[index], prior, sinks);
        }
        return new StepApproval(stage, stage == ApprovalStage.ToolCall && refused >= 0 ? calls[refused] : null, prior, sinks);
    }

    private static bool IsWithheldResult(GuardianFinding finding) =>
        finding is { Source: GuardianSources.ToolResult, Action: GuardianFinding.Escalated };

    /// <summary>Whether an escalation before the step's call is the one approved.</summary>
    public bool LiftsBeforeStep => Stage == ApprovalStage.BeforeStep;

    /// <summary>Whether an escalation of this tool call is the one approved: the same tool with the same arguments.</summary>
    public bool Lifts(string name, IReadOnlyDictionary<string, object?> arguments) =>
        _call is { } call && call.Name == name && Same(call.Arguments, arguments);

    /// <summary>The recorded result of the same call made by the escalated attempt (each used once, in order), or null.</summary>
    public string? TakePriorResult(string name, IReadOnlyDictionary<string, object?> arguments)
    {
        lock (_prior)
        {
            var index = _prior.FindIndex(c => c.Name == name && Same(c.Arguments, arguments));
            if (index < 0)
            {
                return null;
            }

            var result = _prior[index].Result;
            _prior.RemoveAt(index);
            return result;
        }
    }

    // Compared as canonical JSON (RFC 8785): key order and number spelling do not make two calls different. The
    // arguments are cleaned as the record's were.
    private bool Same(string recorded, IReadOnlyDictionary<string, object?> arguments)
    {
        var live = _sinks.CleanJson(JsonSerializer.Serialize(arguments));
        try
        {
            return CanonicalJson.Canonicalize(recorded).AsSpan().SequenceEqual(CanonicalJson.Canonicalize(live));
        }
        catch (JsonException)
        {
            return string.Equals(recorded, live, StringComparison.Ordinal);
        }
    }
}
