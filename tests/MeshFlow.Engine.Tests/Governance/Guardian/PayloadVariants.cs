using System.Text;

namespace MeshFlow.Tests.Governance.Guardian;

/// <summary>
/// Simple evasions applied to a payload: casing, spacing, zero-width characters inside words, look-alike letters,
/// fullwidth forms, letter spacing and PDF-style hyphenation. Each is deterministic given the random source.
/// </summary>
internal static class PayloadVariants
{
    // Cyrillic letters that look like Latin ones.
    private static readonly Dictionary<char, char> s_homoglyphs = new()
    {
        ['a'] = '\u0430', ['e'] = '\u0435', ['o'] = '\u043E', ['p'] = '\u0440', ['c'] = '\u0441', ['i'] = '\u0456', ['x'] = '\u0445', ['y'] = '\u0443',
    };

    public static readonly (string Name, Func<string, Random, string> Apply)[] ForProse =
    [
        ("upper", (t, _) => t.ToUpperInvariant()),
        ("alternating_case", (t, _) => AlternatingCase(t)),
        ("extra_spacing", ExtraSpacing),
        ("zero_width", (t, _) => ZeroWidthInWords(t)),
        ("homoglyphs", (t, _) => Homoglyphs(t)),
        ("fullwidth", (t, _) => Fullwidth(t)),
        ("letter_spaced", (t, _) => LetterSpaced(t)),
        ("pdf_hyphenation", (t, _) => Hyphenated(t)),
        ("newlines", (t, _) => Newlines(t)),
    ];

    // Markup and JSON keep their syntax only under these.
    public static readonly (string Name, Func<string, Random, string> Apply)[] ForMarkup =
    [
        ("upper", (t, _) => t.ToUpperInvariant()),
        ("extra_spacing", ExtraSpacing),
        ("zero_width", (t, _) => ZeroWidthInWords(t)),
        ("newlines", (t, _) => Newlines(t)),
    ];

    public static readonly (string Name, Func<string, Random, string> Apply)[] ForInvisible =
    [
        ("extra_spacing", ExtraSpacing),
        ("newlines", (t, _) => Newlines(t)),
    ];

    private static string AlternatingCase(string text)
    {
        var chars = text.ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            chars[i] = i % 2 == 0 ? char.ToUpperInvariant(chars[i]) : char.ToLowerInvariant(chars[i]);
        }

        return new string(chars);
    }

    private static string ExtraSpacing(string text, Random random)
    {
        string[] gaps = ["  ", "\t", " \u00A0", "   "];
        var result = new StringBuilder();
        foreach (var c in text)
        {
            result.Append(c == ' ' ? gaps[random.Next(gaps.Length)] : c.ToString());
        }

        return result.ToString();
    }

    // A U+200B in the middle of the first three words of four letters or more.
    private static string ZeroWidthInWords(string text) => MapWords(text, 3, word => word.Length >= 4 && word.All(char.IsLetter)
        ? string.Concat(word.AsSpan(0, word.Length / 2), "\u200B", word.AsSpan(word.Length / 2))
        : null);

    // Every other replaceable letter of the first six words.
    private static string Homoglyphs(string text) => MapWords(text, 6, word =>
    {
        var chars = word.ToCharArray();
        var swap = false;
        for (var i = 0; i < chars.Length; i++)
        {
            if (s_homoglyphs.TryGetValue(char.ToLowerInvariant(chars[i]), out var lookAlike) && char.IsLower(chars[i]))
            {
                if (swap)
                {
                    chars[i] = lookAlike;
                }

                swap = !swap;
            }
        }

        return new string(chars);
    });

    private static string Fullwidth(string text) => MapWords(text, 5, word =>
        string.Concat(word.Select(c => c is >= '!' and <= '~' ? (char)(c + 0xFEE0) : c)));

    // "I g n o r e   a l l   p r e v i o u s": letters one space apart, words three.
    private static string LetterSpaced(string text)
    {
        var words = text.Split(' ');
        var spaced = words.Take(3).Select(w => string.Join(' ', w.ToCharArray()));
        return string.Join("   ", spaced) + (words.Length > 3 ? " " + string.Join(' ', words.Skip(3)) : "");
    }

    // The longest word of the first sentence broken across a line, as PDF text extraction leaves it.
    private static string Hyphenated(string text)
    {
        var words = text.Split(' ');
        var longest = words.Take(8).Select((w, i) => (w, i)).Where(x => x.w.All(char.IsLetter)).MaxBy(x => x.w.Length);
        if (longest.w is null || longest.w.Length < 6)
        {
            return Newlines(text);
        }

        words[longest.i] = string.Concat(longest.w.AsSpan(0, longest.w.Length / 2), "-\n", longest.w.AsSpan(longest.w.Length / 2));
        return string.Join(' ', words);
    }

    private static string Newlines(string text)
    {
        var result = new StringBuilder();
        var spaces = 0;
        foreach (var c in text)
        {
            result.Append(c == ' ' && ++spaces % 3 == 0 ? '\n' : c);
        }

        return result.ToString();
    }

    private static string MapWords(string text, int count, Func<string, string?> map)
    {
        var words = text.Split(' ');
        for (int i = 0, mapped = 0; i < words.Length && mapped < count; i++)
        {
            if (map(words[i]) is { } replaced && replaced != words[i])
            {
                words[i] = replaced;
                mapped++;
            }
        }

        return string.Join(' ', words);
    }
}
