using MeshFlow.Workflows;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace MeshFlow.Declarative;

/// <summary>
/// Finds where in the source text a character of a scalar's value is, so that a condition's syntax error points
/// at the offending character: the scalar's start, past its opening quote, walking escapes (<c>''</c>, <c>\"</c>,
/// <c>\u0041</c>...) and folded line breaks. Block scalars (<c>|</c>, <c>&gt;</c>) point at their start.
/// </summary>
internal static class ConditionLocator
{
    public static SourceLocation Locate(string source, YamlScalarNode scalar, int position)
    {
        var start = YamlSource.At(scalar.Start);
        if (scalar.Style is ScalarStyle.Literal or ScalarStyle.Folded)
        {
            return start;
        }

        var quoted = scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted;
        var offset = quoted ? 1 : 0;
        var simple = new SourceLocation(start.Line, start.Column + offset + position);
        var index = scalar.Start.Index;
        if (index < 0 || index >= source.Length || (quoted && source[(int)index] is not ('\'' or '"')))
        {
            return simple;
        }

        var i = (int)index + offset;
        var line = start.Line;
        var column = start.Column + offset;
        var produced = 0;
        while (produced < position && i < source.Length)
        {
            var c = source[i];
            if (c is '\r' or '\n' || (c is ' ' or '\t' && BreakFollows(source, i)))
            {
                // A folded line break: trailing blanks, the break(s) and the next line's indentation read as one
                // space, or as one newline per blank line.
                var (end, breaks, lineStart) = SkipFold(source, i);
                var folded = breaks == 1 ? 1 : breaks - 1;
                if (produced + folded > position)
                {
                    break;
                }

                produced += folded;
                i = end;
                line += breaks;
                column = end - lineStart + 1;
                continue;
            }

            var width = 1;
            var chars = 1;
            if (scalar.Style == ScalarStyle.SingleQuoted && c == '\'' && i + 1 < source.Length && source[i + 1] == '\'')
            {
                width = 2;
            }
            else if (scalar.Style == ScalarStyle.DoubleQuoted && c == '\\' && i + 1 < source.Length)
            {
                var next = source[i + 1];
                if (next is '\r' or '\n')
                {
                    // An escaped line break joins the lines without a space.
                    var (end, breaks, lineStart) = SkipFold(source, i + 1);
                    i = end;
                    line += breaks;
                    column = end - lineStart + 1;
                    continue;
                }

                (width, chars) = next switch
                {
                    'x' => (4, 1),
                    'u' => (6, 1),
                    'U' => (10, IsAstral(source, i + 2) ? 2 : 1),
                    _ => (2, 1),
                };
            }

            if (produced + chars > position)
            {
                break;
            }

            produced += chars;
            i += width;
            column += width;
        }

        return new SourceLocation(line, column);
    }

    private static bool BreakFollows(string source, int i)
    {
        while (i < source.Length && source[i] is ' ' or '\t')
        {
            i++;
        }

        return i < source.Length && source[i] is '\r' or '\n';
    }

    private static (int End, int Breaks, int LineStart) SkipFold(string source, int i)
    {
        var breaks = 0;
        var lineStart = i;
        while (i < source.Length)
        {
            switch (source[i])
            {
                case ' ' or '\t':
                    i++;
                    break;
                case '\n':
                    breaks++;
                    lineStart = ++i;
                    break;
                case '\r':
                    breaks++;
                    i += i + 1 < source.Length && source[i + 1] == '\n' ? 2 : 1;
                    lineStart = i;
                    break;
                default:
                    return (i, breaks, lineStart);
            }
        }

        return (i, breaks, lineStart);
    }

    private static bool IsAstral(string source, int at) =>
        at + 8 <= source.Length &&
        int.TryParse(source.AsSpan(at, 8), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture, out var code) &&
        code > 0xFFFF;
}
