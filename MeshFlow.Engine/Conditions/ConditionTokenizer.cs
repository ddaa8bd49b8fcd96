using System.Globalization;
using System.Text;

namespace MeshFlow.Conditions;

/// <summary>Splits a condition's text into tokens, reporting lexical problems with their exact position.</summary>
internal static class ConditionTokenizer
{
    public static List<ConditionToken> Tokenize(string text)
    {
        var tokens = new List<ConditionToken>();
        var i = 0;
        while (true)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i >= text.Length)
            {
                tokens.Add(new ConditionToken(ConditionTokenKind.End, text.Length, 0));
                return tokens;
            }

            var token = ReadToken(text, i);
            tokens.Add(token);
            i += token.Length;
        }
    }

    private static ConditionToken ReadToken(string text, int start)
    {
        var c = text[start];
        var next = start + 1 < text.Length ? text[start + 1] : '\0';
        return c switch
        {
            '\'' or '"' => ReadString(text, start),
            >= '0' and <= '9' => ReadNumber(text, start),
            _ when IsWordStart(c) => ReadWord(text, start),
            '(' => new ConditionToken(ConditionTokenKind.LeftParen, start, 1),
            ')' => new ConditionToken(ConditionTokenKind.RightParen, start, 1),
            ',' => new ConditionToken(ConditionTokenKind.Comma, start, 1),
            '.' => new ConditionToken(ConditionTokenKind.Dot, start, 1),
            '[' => new ConditionToken(ConditionTokenKind.LeftBracket, start, 1),
            ']' => new ConditionToken(ConditionTokenKind.RightBracket, start, 1),
            '-' => new ConditionToken(ConditionTokenKind.Minus, start, 1),
            '|' when next == '|' => new ConditionToken(ConditionTokenKind.OrOr, start, 2),
            '&' when next == '&' => new ConditionToken(ConditionTokenKind.AndAnd, start, 2),
            '=' when next == '=' => new ConditionToken(ConditionTokenKind.EqualEqual, start, 2),
            '!' when next == '=' => new ConditionToken(ConditionTokenKind.BangEqual, start, 2),
            '!' => new ConditionToken(ConditionTokenKind.Bang, start, 1),
            '<' when next == '=' => new ConditionToken(ConditionTokenKind.LessEqual, start, 2),
            '<' => new ConditionToken(ConditionTokenKind.Less, start, 1),
            '>' when next == '=' => new ConditionToken(ConditionTokenKind.GreaterEqual, start, 2),
            '>' => new ConditionToken(ConditionTokenKind.Greater, start, 1),
            _ => throw UnexpectedCharacter(c, start),
        };
    }

    private static ConditionSyntaxException UnexpectedCharacter(char c, int position) => c switch
    {
        '=' => ConditionSyntaxException.At("unexpected '='", position, "; to compare values use '=='"),
        '&' => ConditionSyntaxException.At("unexpected '&'", position, "; use '&&' (or 'and')"),
        '|' => ConditionSyntaxException.At("unexpected '|'", position, "; use '||' (or 'or')"),
        '\u2018' or '\u2019' or '\u201C' or '\u201D' => ConditionSyntaxException.At(
            $"unexpected typographic quote '{c}'", position, "; quote strings with ' or \""),
        _ when char.IsControl(c) || char.IsSurrogate(c) => ConditionSyntaxException.At(
            $"unexpected character U+{(int)c:X4}", position),
        _ => ConditionSyntaxException.At($"unexpected character '{c}'", position),
    };

    private static bool IsWordStart(char c) => char.IsAsciiLetter(c) || c == '_';

    private static bool IsWordPart(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    private static ConditionToken ReadWord(string text, int start)
    {
        var end = start + 1;
        while (end < text.Length && IsWordPart(text[end]))
        {
            end++;
        }

        return new ConditionToken(ConditionTokenKind.Identifier, start, end - start, text[start..end]);
    }

    private static ConditionToken ReadNumber(string text, int start)
    {
        var end = start;
        while (end < text.Length && char.IsAsciiDigit(text[end]))
        {
            end++;
        }

        if (end < text.Length && text[end] == '.')
        {
            if (end + 1 >= text.Length || !char.IsAsciiDigit(text[end + 1]))
            {
                throw ConditionSyntaxException.At(
                    $"expected a digit after the decimal point in '{text[start..(end + 1)]}'", end);
            }

            end++;
            while (end < text.Length && char.IsAsciiDigit(text[end]))
            {
                end++;
            }
        }

        if (end < text.Length && IsWordPart(text[end]))
        {
            throw ConditionSyntaxException.At(
                $"unexpected character '{text[end]}' directly after the number '{text[start..end]}'", end);
        }

        var number = double.Parse(text.AsSpan(start, end - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture);
        if (!double.IsFinite(number))
        {
            throw ConditionSyntaxException.At("the number is too large", start);
        }

        return new ConditionToken(ConditionTokenKind.Number, start, end - start, Number: number);
    }

    /// <summary>
    /// Reads a quoted string. The escapes <c>\\ \' \" \n \r \t</c> are understood; any other backslash is kept as
    /// written, so regular-expression classes such as <c>'\d+'</c> need no doubling.
    /// </summary>
    private static ConditionToken ReadString(string text, int start)
    {
        var quote = text[start];
        StringBuilder? builder = null;
        var segmentStart = start + 1;
        var i = start + 1;
        while (i < text.Length)
        {
            var c = text[i];
            if (c == quote)
            {
                var value = builder is null
                    ? text[segmentStart..i]
                    : builder.Append(text, segmentStart, i - segmentStart).ToString();
                return new ConditionToken(ConditionTokenKind.String, start, i + 1 - start, value);
            }

            if (c == '\\' && i + 1 < text.Length)
            {
                var escaped = text[i + 1] switch
                {
                    '\\' => '\\',
                    '\'' => '\'',
                    '"' => '"',
                    'n' => '\n',
                    'r' => '\r',
                    't' => '\t',
                    _ => '\0',
                };
                if (escaped != '\0')
                {
                    builder ??= new StringBuilder();
                    builder.Append(text, segmentStart, i - segmentStart).Append(escaped);
                    i += 2;
                    segmentStart = i;
                    continue;
                }
            }

            i++;
        }

        throw ConditionSyntaxException.At("unterminated string", start, $": the {quote} that opens it is never closed");
    }
}
