using System.Globalization;
using System.Text;

namespace MeshFlow.Governance.Guardian;

/// <summary>
/// One place in a scanned text where <see cref="InjectionScanner"/> saw a signal of prompt injection. Offsets are in
/// UTF-16 code units of the original text (not of the normalized copy the scanner matched against).
/// </summary>
/// <param name="Signal">One of the <see cref="InjectionSignals"/> names.</param>
/// <param name="Start">Where the suspicious span starts in the original text.</param>
/// <param name="Length">How long the span is in the original text.</param>
public readonly record struct InjectionFinding(string Signal, int Start, int Length)
{
    /// <summary>The longest excerpt <see cref="Excerpt"/> returns, in characters.</summary>
    public const int MaxExcerptLength = 80;

    // Context shown before the finding, so a reader sees what leads into it.
    private const int Lead = 16;

    /// <summary>
    /// At most <see cref="MaxExcerptLength"/> characters of <paramref name="text"/> around the finding, with line breaks
    /// shown as spaces and invisible or format characters shown as <c>\uXXXX</c> (<c>\UXXXXXXXX</c> above U+FFFF),
    /// so that a log line shows what a reader of the original would not see.
    /// </summary>
    /// <param name="text">The text that was scanned.</param>
    public string Excerpt(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var start = Math.Clamp(Start - Lead, 0, text.Length);
        if (start > 0 && start < text.Length && char.IsLowSurrogate(text[start]))
        {
            start--;
        }

        var excerpt = new StringBuilder(MaxExcerptLength);
        for (var i = start; i < text.Length;)
        {
            var c = text[i];
            var pair = char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]);
            var codePoint = pair ? char.ConvertToUtf32(c, text[i + 1]) : c;
            var escaped = Escape(codePoint, c);
            var width = escaped?.Length ?? (pair ? 2 : 1);
            if (excerpt.Length + width > MaxExcerptLength)
            {
                break;
            }

            if (escaped is not null)
            {
                excerpt.Append(escaped);
            }
            else
            {
                excerpt.Append(text, i, pair ? 2 : 1);
            }

            i += pair ? 2 : 1;
        }

        return excerpt.ToString();
    }

    // Null when the character is shown as itself.
    private static string? Escape(int codePoint, char unit)
    {
        if (codePoint is '\n' or '\r' or '\t')
        {
            return " ";
        }

        // A lone surrogate is not a character at all.
        if (char.IsSurrogate(unit) && codePoint == unit)
        {
            return string.Create(CultureInfo.InvariantCulture, $"\\u{codePoint:X4}");
        }

        var category = CharUnicodeInfo.GetUnicodeCategory(codePoint);
        if (category is UnicodeCategory.Format or UnicodeCategory.Control or UnicodeCategory.OtherNotAssigned
            || InvisibleCharacters.IsInvisible(codePoint))
        {
            return codePoint > 0xFFFF
                ? string.Create(CultureInfo.InvariantCulture, $"\\U{codePoint:X8}")
                : string.Create(CultureInfo.InvariantCulture, $"\\u{codePoint:X4}");
        }

        return null;
    }
}
