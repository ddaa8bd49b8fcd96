namespace MeshFlow.Api.Runs;

/// <summary>The comment a workflow file opens with, which the examples use to say what they show.</summary>
internal static class WorkflowComment
{
    /// <summary>The first sentence of the <c>#</c> comment lines the text starts with; null when it starts with none.</summary>
    public static string? FirstSentence(string text)
    {
        var words = new List<string>();
        foreach (var line in text.TrimStart('\uFEFF').Split('\n'))
        {
            var trimmed = line.Trim();
            if (!trimmed.StartsWith('#'))
            {
                break;
            }

            words.Add(trimmed.TrimStart('#').Trim());
        }

        var comment = string.Join(' ', words.Where(w => w.Length > 0));
        if (comment.Length == 0)
        {
            return null;
        }

        var end = comment.IndexOf(". ", StringComparison.Ordinal);
        return end < 0 ? comment : comment[..(end + 1)];
    }
}
