using System.Text;
using System.Text.Json;
using MeshFlow.Governance;
using MeshFlow.Governance.Risk;
using MeshFlow.Runs;
using Microsoft.Extensions.AI;

namespace MeshFlow.Steps;

/// <summary>How a step's pieces read as text: tool results, the user side of a prompt.</summary>
internal static class StepText
{
    public static string Result(object? result) => result switch
    {
        null => string.Empty,
        string text => text,
        JsonElement { ValueKind: JsonValueKind.String } element => element.GetString() ?? string.Empty,
        JsonElement element => element.GetRawText(),
        _ => JsonSerializer.Serialize(result),
    };

    public static string User(List<ChatMessage> messages)
    {
        var text = new StringBuilder();
        foreach (var message in messages)
        {
            if (message.Role == ChatRole.User)
            {
                if (text.Length > 0)
                {
                    text.Append("\n\n");
                }

                text.Append(message.Text);
            }
        }

        return text.ToString();
    }

    /// <summary>
    /// How the recorded result of a call a check refused begins: what it says, in its record and its event (the model
    /// never sees it).
    /// </summary>
    public const string NotRunPrefix = "not run: ";

    public static string NotRun(StepVerdict verdict) =>
        $"{NotRunPrefix}{WireNames.Of(verdict.Verdict)} ({(verdict.Reason is { } reason ? WireNames.Of(reason) : "check")}): {verdict.Detail}";

    /// <summary>
    /// What the model is told in place of a tool result the checks withheld (its record keeps the result itself).
    /// </summary>
    public static string Withheld(StepVerdict verdict) =>
        $"withheld: {WireNames.Of(verdict.Verdict)} ({(verdict.Reason is { } reason ? WireNames.Of(reason) : "check")}): {verdict.Detail}";

    /// <summary>
    /// Puts a result on the record of its call: the call of that id still waiting for one (a model may reuse an id
    /// across the turns of a step), else the latest of that id (a withheld result replacing what the model was told).
    /// How long the call ran and its risk tier are kept when given.
    /// </summary>
    public static void RecordResult(List<ToolCallRecord>? calls, string callId, string result, double? durationMs = null, RiskTier? riskTier = null)
    {
        if (calls is null)
        {
            return;
        }

        var index = calls.FindIndex(c => c.CallId == callId && c.Result is null);
        if (index < 0)
        {
            index = calls.FindLastIndex(c => c.CallId == callId);
        }

        if (index >= 0)
        {
            var call = calls[index];
            calls[index] = call with { Result = result, DurationMs = durationMs ?? call.DurationMs, RiskTier = riskTier ?? call.RiskTier };
        }
    }
}
