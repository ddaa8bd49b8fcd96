namespace MeshFlow.Tools.Utility;

/// <summary>
/// An upper bound on how many times a JMESPath expression can repeat its input in its result or in any value it builds
/// on the way, read from the expression text before it is evaluated.
/// </summary>
/// <remarks>
/// JMESPath has no loops or recursion, so only a multiselect list <c>[a, b]</c>, a multiselect hash <c>{k: a, l: b}</c>
/// or a function with several arguments can hold more than one copy of its input; a pipe, a sub-expression or a
/// projection applies one part to the other's result and so multiplies their bounds. The scan therefore takes, for each
/// bracket group, the sum of its comma-separated elements' bounds (a function call takes the larger of their sum and
/// product, since <c>map(&amp;e, a)</c> applies one argument to the other), and, within an element, the product of the
/// groups in it. Products are an over-estimate where parts are alternatives (<c>a || b</c>), which only refuses more.
/// JmesPath.Net keeps its syntax tree's children private, so the text is scanned instead: string, raw-string and JSON
/// literals and quoted identifiers are skipped, so brackets and commas inside them do not count. The expression has
/// already been parsed successfully, so its brackets balance.
/// </remarks>
internal static class JmesPathRepeatBound
{
    /// <summary>Where the bound stops growing; a 1,000-character expression cannot reach it, so the bound shown is exact.</summary>
    private const double Saturation = 1e300;

    /// <summary>The bound for <paramref name="expression"/>, at least 1.</summary>
    public static double Of(string expression)
    {
        ArgumentNullException.ThrowIfNull(expression);
        var frames = new Stack<Frame>();
        var current = new Frame('\0', isCall: false, escapesStrings: false);
        var previousSignificant = '\0';
        var identifierStart = -1;
        for (var i = 0; i < expression.Length; i++)
        {
            var c = expression[i];
            switch (c)
            {
                case '\'' or '`' or '"':
                    i = SkipQuoted(expression, i);
                    previousSignificant = c;
                    identifierStart = -1;
                    continue;
                case '[' or '{' or '(':
                    var isCall = c == '(' && identifierStart >= 0 && IsIdentifierChar(previousSignificant);
                    var name = isCall ? expression[identifierStart..i].TrimEnd() : string.Empty;
                    frames.Push(current);
                    current = new Frame(Closer(c), isCall, escapesStrings: name == "to_string");
                    break;
                case ',' when frames.Count > 0:
                    current.EndElement();
                    break;
                case ']' or '}' or ')' when frames.Count > 0 && c == current.Closer:
                    var factor = current.Close();
                    current = frames.Pop();
                    current.Multiply(factor);
                    break;
                default:
                    break;
            }

            if (!char.IsWhiteSpace(c))
            {
                if (IsIdentifierChar(c))
                {
                    if (!IsIdentifierChar(previousSignificant) || identifierStart < 0)
                    {
                        identifierStart = i;
                    }
                }
                else
                {
                    identifierStart = -1;
                }

                previousSignificant = c;
            }
        }

        while (frames.Count > 0)
        {
            var factor = current.Close();
            current = frames.Pop();
            current.Multiply(factor);
        }

        return current.Close();
    }

    private static char Closer(char opener) => opener switch
    {
        '[' => ']',
        '{' => '}',
        _ => ')',
    };

    private static bool IsIdentifierChar(char c) => char.IsAsciiLetterOrDigit(c) || c == '_';

    /// <summary>The index of the quote that closes the one at <paramref name="start"/> (a backslash escapes the next character).</summary>
    private static int SkipQuoted(string text, int start)
    {
        var quote = text[start];
        for (var i = start + 1; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
            }
            else if (text[i] == quote)
            {
                return i;
            }
        }

        return text.Length;
    }

    private static double Times(double a, double b) => Math.Min(a * b, Saturation);

    /// <summary>One bracket group being scanned: the elements closed so far and the one in progress.</summary>
    private sealed class Frame(char closer, bool isCall, bool escapesStrings)
    {
        private double _sum;
        private double _product = 1;
        private double _element = 1;

        public char Closer { get; } = closer;

        public void Multiply(double factor) => _element = Times(_element, factor);

        public void EndElement()
        {
            _sum = Math.Min(_sum + _element, Saturation);
            _product = Times(_product, _element);
            _element = 1;
        }

        public double Close()
        {
            EndElement();
            var bound = isCall ? Math.Max(_sum, _product) : _sum;

            // to_string escapes quotes and backslashes, so nesting it can double a string at every level.
            return escapesStrings ? Times(bound, 2) : bound;
        }
    }
}
