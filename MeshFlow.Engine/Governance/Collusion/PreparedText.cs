namespace MeshFlow.Governance.Collusion;

/// <summary>An output of a tool-restricted agent, kept to trace another agent's tool arguments back to it.</summary>
/// <param name="StepId">The step that wrote it.</param>
/// <param name="Agent">The agent that wrote it.</param>
/// <param name="Text">Its first characters, whitespace collapsed.</param>
/// <param name="CodeSpans">Its fenced and inline code, whitespace collapsed.</param>
/// <param name="Capabilities">The tools its agent may call.</param>
internal sealed record PreparedText(
    string StepId, string Agent, string Text, IReadOnlyList<string> CodeSpans, IReadOnlySet<string> Capabilities)
{
    public static PreparedText From(string stepId, string agent, string output, IReadOnlySet<string> capabilities, int maxChars)
    {
        var capped = CollusionText.Capped(output, maxChars);
        return new(stepId, agent, CollusionText.CollapseWhitespace(capped), CollusionText.CodeSpans(capped), capabilities);
    }

    /// <summary>
    /// Whether this text prepared an argument value: the value (long enough not to match by chance) appears in it
    /// verbatim, or the value is one of its code spans, or holds one that is long enough.
    /// </summary>
    public bool Prepared(string value, int minLength)
    {
        if (value.Length >= minLength && Text.Contains(value, StringComparison.Ordinal))
        {
            return true;
        }

        foreach (var code in CodeSpans)
        {
            if (code == value || (code.Length >= minLength && value.Contains(code, StringComparison.Ordinal)))
            {
                return true;
            }
        }

        return false;
    }
}
