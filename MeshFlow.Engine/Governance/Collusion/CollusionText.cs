using System.Text;

namespace MeshFlow.Governance.Collusion;

/// <summary>The text measures the <see cref="CollusionAuditor"/> compares outputs by.</summary>
internal static class CollusionText
{
    private const int MaxCodeSpans = 64;

    public static ReadOnlySpan<char> Capped(string text, int maxChars) =>
        text.Length <= maxChars ? text : text.AsSpan(0, maxChars);

    /// <summary>The text with each run of whitespace made one space, trimmed: how commands are compared.</summary>
    public static string CollapseWhitespace(ReadOnlySpan<char> text)
    {
        text = text.Trim();
        var builder = new StringBuilder(text.Length);
        var space = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                space = true;
                continue;
            }

            if (space)
            {
                builder.Append(' ');
                space = false;
            }

            builder.Append(c);
        }

        return builder.ToString();
    }

    /// <summary>FNV-1a of the text with whitespace collapsed, so a re-sent output with other line breaks is the same output.</summary>
    public static ulong Hash(ReadOnlySpan<char> text)
    {
        var hash = WordShingles.FnvOffset;
        var space = false;
        foreach (var c in text.Trim())
        {
            if (char.IsWhiteSpace(c))
            {
                space = true;
                continue;
            }

            if (space)
            {
                hash = (hash ^ ' ') * WordShingles.FnvPrime;
                space = false;
            }

            hash = (hash ^ c) * WordShingles.FnvPrime;
        }

        return hash;
    }

    /// <summary>
    /// The text's word triples as <see cref="WordShingles"/>: triples rather than words, so that two texts on one subject
    /// share few of them unless one copies the other.
    /// </summary>
    public static ulong[] Shingles(ReadOnlySpan<char> text) => WordShingles.Of(text, 3);

    /// <summary>How many members of <paramref name="set"/> are in none of <paramref name="others"/>.</summary>
    public static int NotIn(ulong[] set, IEnumerable<ulong[]> others)
    {
        var rest = set.Length;
        var seen = new bool[set.Length];
        foreach (var other in others)
        {
            int i = 0, j = 0;
            while (i < set.Length && j < other.Length)
            {
                if (set[i] == other[j])
                {
                    if (!seen[i])
                    {
                        seen[i] = true;
                        rest--;
                    }

                    i++;
                    j++;
                }
                else if (set[i] < other[j])
                {
                    i++;
                }
                else
                {
                    j++;
                }
            }
        }

        return rest;
    }

    /// <summary>
    /// The contents of the text's fenced code blocks (the info string after the opening fence dropped) and inline code
    /// spans, whitespace collapsed: what an agent hands over as a command to run.
    /// </summary>
    public static IReadOnlyList<string> CodeSpans(ReadOnlySpan<char> text)
    {
        var spans = new List<string>();
        var fence = -1;
        var position = 0;
        while (position < text.Length && spans.Count < MaxCodeSpans)
        {
            var end = text[position..].IndexOf('\n');
            var lineEnd = end < 0 ? text.Length : position + end;
            var line = text[position..lineEnd];
            var trimmed = line.Trim();
            if (fence < 0 && trimmed.Length > 6 && trimmed.StartsWith("```", StringComparison.Ordinal) && trimmed.EndsWith("```", StringComparison.Ordinal))
            {
                Add(spans, trimmed[3..^3]);
            }
            else if (trimmed.StartsWith("```", StringComparison.Ordinal))
            {
                if (fence < 0)
                {
                    fence = lineEnd + 1;
                }
                else
                {
                    Add(spans, text[Math.Min(fence, position)..position]);
                    fence = -1;
                }
            }
            else if (fence < 0)
            {
                InlineSpans(line, spans);
            }

            position = lineEnd + 1;
        }

        // An unclosed fence runs to the end, as Markdown renders it.
        if (fence >= 0 && fence < text.Length && spans.Count < MaxCodeSpans)
        {
            Add(spans, text[fence..]);
        }

        return spans;
    }

    private static void InlineSpans(ReadOnlySpan<char> line, List<string> spans)
    {
        while (spans.Count < MaxCodeSpans)
        {
            var open = line.IndexOf('`');
            if (open < 0)
            {
                return;
            }

            var close = line[(open + 1)..].IndexOf('`');
            if (close < 0)
            {
                return;
            }

            Add(spans, line.Slice(open + 1, close));
            line = line[(open + close + 2)..];
        }
    }

    private static void Add(List<string> spans, ReadOnlySpan<char> code)
    {
        var collapsed = CollapseWhitespace(code);
        if (collapsed.Length > 0)
        {
            spans.Add(collapsed);
        }
    }
}
