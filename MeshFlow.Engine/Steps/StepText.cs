using System.Text;
using System.Text.Json;
using MeshFlow.Governance;
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

    /// <summary>What a refused tool call's result says, in its record and its event (the model never sees it).</summary>
    /// <summary>How the recorded result of a call that did not run begins.</summary>
    public const string NotRunPrefix = "not run: ";

    public static string NotRun(StepVerdict verdict) =>
        $"{NotRunPrefix}{WireNames.Of(verdict.Verdict)} ({(verdict.Reason is { } reason ? WireNames.Of(reason) : "check")}): {verdict.Detail}";

    /// <summary>
    /// What the model is told in place of a tool result the checks withheld (its record keeps the result itself).
    /// </summary>
    public static string Withheld(StepVerdict verdict) =>
        $"withheld: {WireNames.Of(verdict.Verdict)} ({(verdict.Reason is { } reason ? WireNames.Of(reason) : "check")}): {verdict.Detail}";

    public static void RecordResult(List<ToolCallRecord>? calls, string callId, string result)
    {
        if (calls is null)
        {
            return;
        }

        var index = calls.FindIndex(c => c.CallId == callId);
        if (index >= 0)
        {
            calls[index] = calls[index] with { Result = result };
        }
    }
}
