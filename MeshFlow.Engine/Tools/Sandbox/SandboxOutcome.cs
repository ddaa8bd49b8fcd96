using System.Globalization;
using MeshFlow.Tools.BuiltIn;

namespace MeshFlow.Tools.Sandbox;

/// <summary>Turns a <see cref="SandboxResult"/> into a tool's answer, or into the error the model is shown.</summary>
internal static class SandboxOutcome
{
    private const int TailChars = 400;

    private const string CutNote = "\n[output cut: the program wrote more than the output cap and was stopped]";

    /// <summary>The answer of <paramref name="tool"/>, at most <paramref name="maxChars"/> long when the output was cut.</summary>
    public static string Describe(string tool, SandboxResult result, TimeSpan limit, bool failOnExitCode, int maxChars)
    {
        var seconds = limit.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture);
        if (result.TimedOut)
        {
            throw new BuiltInToolException($"{tool}: the program ran past its {seconds} s limit and was stopped{Tail(result)}");
        }

        if (result.SignalName is { } signal)
        {
            var why = result.Signal == 24 ? $"it used its {seconds} s of CPU time" : "it was killed";
            throw new BuiltInToolException($"{tool}: the program ended on {signal}: {why}{Tail(result)}");
        }

        if (failOnExitCode && result.ExitCode != 0 && !result.OutputCut)
        {
            throw new BuiltInToolException(string.Create(CultureInfo.InvariantCulture, $"{tool}: the program failed with exit code {result.ExitCode}{Tail(result)}"));
        }

        var text = result.StandardOutput;
        if (result.StandardError.Length > 0)
        {
            text += (text.Length == 0 || text.EndsWith('\n') ? string.Empty : "\n") + "[stderr]\n" + result.StandardError;
        }

        if (!failOnExitCode && result.ExitCode != 0 && !result.OutputCut)
        {
            text += (text.Length == 0 || text.EndsWith('\n') ? string.Empty : "\n") + string.Create(CultureInfo.InvariantCulture, $"[exit code {result.ExitCode}]");
        }

        if (result.OutputCut)
        {
            // Cut here, so the tool's own truncation does not drop the note saying the program was stopped.
            var keep = Math.Max(0, maxChars - CutNote.Length);
            text = (text.Length > keep ? text[..keep] : text) + CutNote;
        }

        return text;
    }

    // The last lines of standard error on one line: a traceback's last line names the error.
    private static string Tail(SandboxResult result)
    {
        var lines = result.StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (lines.Length == 0)
        {
            return string.Empty;
        }

        var tail = string.Join(" | ", lines.TakeLast(3));
        return ": " + (tail.Length > TailChars ? "…" + tail[^TailChars..] : tail);
    }
}
