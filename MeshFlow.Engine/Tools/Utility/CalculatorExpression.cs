using System.Collections.Frozen;
using System.Globalization;
using NCalc;

namespace MeshFlow.Tools.Utility;

/// <summary>
/// Checks a parsed NCalc expression against the calculator's allow-list and rebuilds it into a tree NCalc can only
/// do arithmetic with: every number becomes a double, <c>pi</c> and <c>e</c> become their values, <c>**</c> becomes
/// the bounded power function, and each allowed function is renamed to one the calculator supplies, so none of
/// NCalc's own functions and no parameter lookup is ever reached.
/// </summary>
internal static class CalculatorExpression
{
    /// <summary>The most characters an expression may have.</summary>
    public const int MaxLength = 1_000;

    /// <summary>The deepest bracket nesting an expression may have.</summary>
    public const int MaxNesting = 64;

    /// <summary>The deepest parsed tree evaluated (a sum of many terms is a deep tree without any bracket).</summary>
    public const int MaxTreeDepth = 256;

    /// <summary>The largest exponent magnitude a power may have.</summary>
    public const double MaxExponent = 1_000;

    private const string Prefix = "meshflow_";

    private static readonly FrozenDictionary<string, double> Constants =
        new Dictionary<string, double>(StringComparer.OrdinalIgnoreCase) { ["pi"] = Math.PI, ["e"] = Math.E }
            .ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>The functions the calculator offers, by the name a model writes (any case), with their arity.</summary>
    public static FrozenDictionary<string, (int Min, int Max, Func<double[], double> Apply)> Functions { get; } =
        new Dictionary<string, (int, int, Func<double[], double>)>(StringComparer.OrdinalIgnoreCase)
        {
            ["Abs"] = (1, 1, a => Math.Abs(a[0])),
            ["Sqrt"] = (1, 1, a => Math.Sqrt(a[0])),
            ["Cbrt"] = (1, 1, a => Math.Cbrt(a[0])),
            ["Pow"] = (2, 2, a => Power(a[0], a[1])),
            ["Min"] = (2, 2, a => Math.Min(a[0], a[1])),
            ["Max"] = (2, 2, a => Math.Max(a[0], a[1])),
            ["Round"] = (1, 2, Round),
            ["Floor"] = (1, 1, a => Math.Floor(a[0])),
            ["Ceiling"] = (1, 1, a => Math.Ceiling(a[0])),
            ["Truncate"] = (1, 1, a => Math.Truncate(a[0])),
            ["Sign"] = (1, 1, a => Math.Sign(a[0])),
            ["Log"] = (1, 2, a => a.Length == 1 ? Math.Log(a[0]) : Math.Log(a[0], a[1])),
            ["Ln"] = (1, 1, a => Math.Log(a[0])),
            ["Log10"] = (1, 1, a => Math.Log10(a[0])),
            ["Log2"] = (1, 1, a => Math.Log2(a[0])),
            ["Exp"] = (1, 1, a => Math.Exp(a[0])),
            ["Sin"] = (1, 1, a => Math.Sin(a[0])),
            ["Cos"] = (1, 1, a => Math.Cos(a[0])),
            ["Tan"] = (1, 1, a => Math.Tan(a[0])),
            ["Asin"] = (1, 1, a => Math.Asin(a[0])),
            ["Acos"] = (1, 1, a => Math.Acos(a[0])),
            ["Atan"] = (1, 1, a => Math.Atan(a[0])),
            ["Atan2"] = (2, 2, a => Math.Atan2(a[0], a[1])),
            ["Sinh"] = (1, 1, a => Math.Sinh(a[0])),
            ["Cosh"] = (1, 1, a => Math.Cosh(a[0])),
            ["Tanh"] = (1, 1, a => Math.Tanh(a[0])),
        }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>The name the rebuilt tree calls an allowed function by (never one of NCalc's own).</summary>
    public static string InternalName(string name) => Prefix + name.ToUpperInvariant();

    /// <summary>Refuses an expression that is too long or too deeply bracketed, before it is parsed.</summary>
    public static void CheckText(string text)
    {
        if (text.Length > MaxLength)
        {
            throw Refused(string.Create(CultureInfo.InvariantCulture, $"the expression has {text.Length:N0} characters; at most {MaxLength:N0} are allowed"));
        }

        var depth = 0;
        foreach (var c in text)
        {
            if (c is '(' or '[' or '{')
            {
                depth++;
                if (depth > MaxNesting)
                {
                    throw Refused(string.Create(CultureInfo.InvariantCulture, $"the expression nests brackets more than {MaxNesting} deep"));
                }
            }
            else if (c is ')' or ']' or '}')
            {
                depth--;
            }
            else if (char.IsControl(c) && c is not ('\t' or '\n' or '\r'))
            {
                throw Refused("the expression contains a control character");
            }
        }
    }

    /// <summary>The allowed, rebuilt tree of <paramref name="expression"/>, or a refusal naming what is not allowed.</summary>
    public static LogicalExpression Rebuild(LogicalExpression expression, int depth = 0)
    {
        if (depth > MaxTreeDepth)
        {
            throw Refused(string.Create(CultureInfo.InvariantCulture, $"the expression is nested more than {MaxTreeDepth} levels deep"));
        }

        return expression switch
        {
            ValueExpression value => Value(value),
            Identifier identifier => Constants.TryGetValue(identifier.Name, out var constant)
                ? new ValueExpression(constant)
                : throw Refused($"'{Shorten(identifier.Name)}' is not a number, constant (pi, e) or function; variables and parameters are not allowed"),
            UnaryExpression unary => unary.Type is UnaryExpressionType.Negate or UnaryExpressionType.Positive or UnaryExpressionType.Not
                ? new UnaryExpression(unary.Type, Rebuild(unary.Expression, depth + 1))
                : throw Refused($"the operator {unary.Type} is not allowed"),
            BinaryExpression binary => Binary(binary, depth),
            TernaryExpression ternary => new TernaryExpression(
                Rebuild(ternary.LeftExpression, depth + 1), Rebuild(ternary.MiddleExpression, depth + 1), Rebuild(ternary.RightExpression, depth + 1)),
            Function function => Call(function, depth),
            _ => throw Refused($"'{expression.GetType().Name}' is not arithmetic"),
        };
    }

    /// <summary><paramref name="x"/> to the power <paramref name="y"/>, refused when the exponent or result is out of bounds.</summary>
    public static double Power(double x, double y)
    {
        if (double.IsNaN(y) || Math.Abs(y) > MaxExponent)
        {
            throw Refused(string.Create(CultureInfo.InvariantCulture, $"an exponent of {y:G6} is out of bounds (at most {MaxExponent:0} in magnitude)"));
        }

        var result = Math.Pow(x, y);
        return double.IsFinite(result) || !double.IsFinite(x)
            ? result
            : throw Refused(string.Create(CultureInfo.InvariantCulture, $"{x:G6} to the power {y:G6} is beyond the range of a double (about 1e308)"));
    }

    /// <summary>A refusal giving <paramref name="reason"/>; the tool reports it as its error.</summary>
    public static CalculatorRefusal Refused(string reason) => new(reason);

    private static double Round(double[] a)
    {
        if (a.Length == 1)
        {
            return Math.Round(a[0], MidpointRounding.AwayFromZero);
        }

        var digits = a[1];
        return digits is >= 0 and <= 15 && digits == Math.Floor(digits)
            ? Math.Round(a[0], (int)digits, MidpointRounding.AwayFromZero)
            : throw Refused("Round takes 0 to 15 decimal places");
    }

    private static ValueExpression Value(ValueExpression value) => value.Value switch
    {
        int i => new ValueExpression((double)i),
        long l => new ValueExpression((double)l),
        double d => new ValueExpression(d),
        float f => new ValueExpression((double)f),
        decimal m => new ValueExpression((double)m),
        System.Numerics.BigInteger b => new ValueExpression((double)b),
        bool b => new ValueExpression(b),
        _ => throw Refused($"only numbers are allowed, not a {value.Type.ToString().ToLowerInvariant()} value"),
    };

    private static LogicalExpression Binary(BinaryExpression binary, int depth)
    {
        var left = Rebuild(binary.LeftExpression, depth + 1);
        var right = Rebuild(binary.RightExpression, depth + 1);
        return binary.Type switch
        {
            BinaryExpressionType.Plus or BinaryExpressionType.Minus or BinaryExpressionType.Times or BinaryExpressionType.Div
                or BinaryExpressionType.Modulo or BinaryExpressionType.Equal or BinaryExpressionType.NotEqual
                or BinaryExpressionType.Lesser or BinaryExpressionType.LesserOrEqual or BinaryExpressionType.Greater
                or BinaryExpressionType.GreaterOrEqual or BinaryExpressionType.And or BinaryExpressionType.Or
                => new BinaryExpression(binary.Type, left, right),
            BinaryExpressionType.Exponentiation => new Function(new Identifier(InternalName("Pow")), new LogicalExpressionList([left, right])),
            BinaryExpressionType.BitwiseXOr => throw Refused("'^' is bitwise XOR, which is not allowed; write powers as ** or Pow(x, y)"),
            _ => throw Refused($"the operator {binary.Type} is not allowed"),
        };
    }

    private static Function Call(Function function, int depth)
    {
        var name = function.Identifier.Name;
        if (!Functions.TryGetValue(name, out var entry))
        {
            throw Refused($"the function '{Shorten(name)}' is not allowed; allowed: {string.Join(", ", Functions.Keys.Order(StringComparer.Ordinal))}");
        }

        var count = function.Parameters.Count;
        if (count < entry.Min || count > entry.Max)
        {
            throw Refused(entry.Min == entry.Max
                ? string.Create(CultureInfo.InvariantCulture, $"{name} takes {entry.Min} argument(s), not {count}")
                : string.Create(CultureInfo.InvariantCulture, $"{name} takes {entry.Min} to {entry.Max} arguments, not {count}"));
        }

        var arguments = new List<LogicalExpression>(count);
        foreach (var argument in function.Parameters)
        {
            arguments.Add(Rebuild(argument, depth + 1));
        }

        return new Function(new Identifier(InternalName(name)), new LogicalExpressionList(arguments));
    }

    private static string Shorten(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 40), "…");
}
