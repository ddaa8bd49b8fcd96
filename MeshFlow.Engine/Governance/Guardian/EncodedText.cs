using System.Globalization;

namespace MeshFlow.Governance.Guardian;

/// <summary>
/// Reads a text one code point at a time the way a model reading it would understand it: JSON and C-style escapes
/// (<c>\n</c>, <c>\"</c>, <c>\u003C</c>) and HTML character references (<c>&amp;lt;</c>, <c>&amp;#8203;</c>) are
/// decoded, because a tool output often arrives JSON-encoded and a fetched page HTML-encoded, and an attacker can hide
/// a character behind either. Surrogate pairs are combined; a lone surrogate reads as U+FFFD.
/// </summary>
internal static class EncodedText
{
    // The longest HTML character reference read: "&ZeroWidthSpace;" and "&#x10FFFF;" fit.
    private const int MaxReference = 18;

    /// <summary>The code point at <paramref name="index"/>, and how many UTF-16 units of the text it takes.</summary>
    public static int Read(ReadOnlySpan<char> text, int index, out int consumed)
    {
        var c = text[index];
        if (c == '\\' && index + 1 < text.Length && TryReadEscape(text, index, out var escaped, out consumed))
        {
            return escaped;
        }

        if (c == '&' && index + 2 < text.Length && TryReadReference(text, index, out var referenced, out consumed))
        {
            return referenced;
        }

        if (char.IsHighSurrogate(c) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]))
        {
            consumed = 2;
            return char.ConvertToUtf32(c, text[index + 1]);
        }

        consumed = 1;
        return char.IsSurrogate(c) ? 0xFFFD : c;
    }

    private static bool TryReadEscape(ReadOnlySpan<char> text, int index, out int codePoint, out int consumed)
    {
        consumed = 2;
        switch (text[index + 1])
        {
            case 'n' or 'r':
                codePoint = '\n';
                return true;
            case 't':
                codePoint = ' ';
                return true;
            case '"' or '\'' or '/' or '\\':
                codePoint = text[index + 1];
                return true;
            case 'u' when TryHex4(text, index + 2, out var unit):
                consumed = 6;
                if (char.IsHighSurrogate((char)unit) && index + 11 < text.Length && text[index + 6] == '\\' && text[index + 7] == 'u'
                    && TryHex4(text, index + 8, out var low) && char.IsLowSurrogate((char)low))
                {
                    consumed = 12;
                    codePoint = char.ConvertToUtf32((char)unit, (char)low);
                    return true;
                }

                codePoint = char.IsSurrogate((char)unit) ? 0xFFFD : unit;
                return true;
            default:
                codePoint = 0;
                return false;
        }
    }

    private static bool TryHex4(ReadOnlySpan<char> text, int index, out int value)
    {
        value = 0;
        return index + 4 <= text.Length
            && int.TryParse(text.Slice(index, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
    }

    private static bool TryReadReference(ReadOnlySpan<char> text, int index, out int codePoint, out int consumed)
    {
        codePoint = 0;
        consumed = 0;
        var window = text.Slice(index + 1, Math.Min(MaxReference, text.Length - index - 1));
        var end = window.IndexOf(';');
        if (end <= 0)
        {
            return false;
        }

        var name = window[..end];
        consumed = end + 2;
        if (name[0] == '#')
        {
            var hex = name.Length > 1 && name[1] is 'x' or 'X';
            var digits = name[(hex ? 2 : 1)..];
            if (digits.IsEmpty || !int.TryParse(digits, hex ? NumberStyles.AllowHexSpecifier : NumberStyles.None,
                    CultureInfo.InvariantCulture, out codePoint) || codePoint is < 0 or > 0x10FFFF)
            {
                return false;
            }

            if (codePoint is >= 0xD800 and <= 0xDFFF)
            {
                codePoint = 0xFFFD;
            }

            return true;
        }

        codePoint = name switch
        {
            "lt" => '<',
            "gt" => '>',
            "amp" => '&',
            "quot" => '"',
            "apos" => '\'',
            "nbsp" => 0xA0,
            "shy" => 0xAD,
            "zwsp" or "ZeroWidthSpace" => 0x200B,
            "zwnj" => 0x200C,
            "zwj" => 0x200D,
            "lrm" => 0x200E,
            "rlm" => 0x200F,
            "NoBreak" => 0x2060,
            _ => 0,
        };
        return codePoint != 0;
    }
}
