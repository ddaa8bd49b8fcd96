using System.Globalization;
using MeshFlow.Governance.Risk;
using MeshFlow.Tools.BuiltIn;
using NCalc;
using NCalc.Exceptions;
using NCalc.Factories;
using NCalc.Handlers;

namespace MeshFlow.Tools.Utility;

/// <summary>
/// <c>calculator(expression)</c>: arithmetic through NCalc, over numbers, operators, an allow-list of math functions and
/// the constants pi and e only (<see cref="CalculatorExpression"/>), within <see cref="EvaluationLimit"/>.
/// </summary>
internal sealed class CalculatorTool : BuiltInTool
{
    /// <summary>How long parsing and evaluating one expression may take.</summary>
    public static readonly TimeSpan EvaluationLimit = TimeSpan.FromMilliseconds(100);

    private const string Schema = """
        {
          "type": "object",
          "properties": {
            "expression": {
              "type": "string",
              "minLength": 1,
              "maxLength": 1000,
              "description": "An arithmetic expression, e.g. \"(2 + 3) * 4 ** 2 / Sqrt(16)\". Numbers, + - * / % ** (power), parentheses, comparisons (< <= > >= == !=), and, or, not, the constants pi and e, and the functions Abs, Sqrt, Cbrt, Pow, Min, Max, Round, Floor, Ceiling, Truncate, Sign, Log, Ln, Log10, Log2, Exp, Sin, Cos, Tan, Asin, Acos, Atan, Atan2, Sinh, Cosh, Tanh (radians)."
            }
          },
          "required": ["expression"],
          "additionalProperties": false
        }
        """;

    // The parser is built on first use; doing that once outside the limit keeps the limit about the expression.
    private static readonly Lazy<bool> WarmedUp = new(() => Evaluate("Sqrt(4) * 2 ** 3 > 1", CancellationToken.None) is not null);

    public CalculatorTool()
        : base(
            BuiltInToolNames.Calculator,
            "Evaluates an arithmetic expression exactly as written and returns the number (invariant culture, '.' decimal point). " +
            "No variables: put the numbers in the expression. Powers are bounded (|exponent| <= 1000, result within about 1e308).",
            Schema,
            RiskTier.Low,
            TimeSpan.FromSeconds(5),
            4_000)
    {
    }

    protected override ValueTask<string> RunAsync(ToolArguments arguments, ToolInvocation invocation, CancellationToken cancellationToken)
    {
        var text = arguments.RequiredString("expression");
        try
        {
            CalculatorExpression.CheckText(text);
            if (string.IsNullOrWhiteSpace(text))
            {
                throw CalculatorExpression.Refused("the expression is empty");
            }

            _ = WarmedUp.Value;
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            limit.CancelAfter(EvaluationLimit);
            var result = Evaluate(text, limit.Token);
            if (limit.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw TooSlow();
            }

            return ValueTask.FromResult(Format(result));
        }
        catch (CalculatorRefusal refusal)
        {
            throw new BuiltInToolException($"calculator: {refusal.Message}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw TooSlow();
        }
    }

    private static BuiltInToolException TooSlow() => new(string.Create(
        CultureInfo.InvariantCulture, $"calculator: the expression did not finish within {EvaluationLimit.TotalMilliseconds:0} ms and was refused"));

    private static object? Evaluate(string text, CancellationToken cancellationToken)
    {
        LogicalExpression parsed;
        try
        {
            parsed = LogicalExpressionFactory.Create(text, new LogicalExpressionParserOptions(), CultureInfo.InvariantCulture, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            throw CalculatorExpression.Refused($"not a valid arithmetic expression ({FirstLine(exception.Message)})");
        }

        var tree = CalculatorExpression.Rebuild(parsed);
        var functions = new Dictionary<string, ExpressionFunction>(StringComparer.Ordinal);
        foreach (var (name, entry) in CalculatorExpression.Functions)
        {
            var apply = entry.Apply;
            functions[CalculatorExpression.InternalName(name)] = data =>
            {
                var values = new double[data.Count];
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = Number(data.Evaluate(i));
                }

                return apply(values);
            };
        }

        var context = new ExpressionContext(
            new Dictionary<string, object?>(StringComparer.Ordinal)!, new Dictionary<string, ExpressionParameter>(StringComparer.Ordinal), functions,
            new Dictionary<string, AsyncExpressionFunction>(StringComparer.Ordinal), new Dictionary<string, AsyncExpressionParameter>(StringComparer.Ordinal));
        var configuration = new ExpressionConfiguration(new LogicalExpressionParserOptions(), new ExpressionEvaluationOptions(), false);
        var expression = new Expression(tree, configuration, context, CultureInfo.InvariantCulture, new EvaluationVisitorFactory());
        try
        {
            return expression.Evaluate(cancellationToken);
        }
        catch (Exception exception) when (exception is NCalcException or InvalidCastException or FormatException or OverflowException or ArgumentException)
        {
            throw CalculatorExpression.Refused($"could not evaluate the expression ({FirstLine(exception.Message)})");
        }
    }

    private static double Number(object? value) => value switch
    {
        double d => d,
        int or long or decimal or float => Convert.ToDouble(value, CultureInfo.InvariantCulture),
        _ => throw CalculatorExpression.Refused("a function's argument must be a number"),
    };

    private static string Format(object? result) => result switch
    {
        bool b => b ? "true" : "false",
        double d when !double.IsFinite(d) => throw CalculatorExpression.Refused("the result is not a finite number (division by zero, overflow or an undefined operation)"),
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        int or long or decimal or float => Format(Convert.ToDouble(result, CultureInfo.InvariantCulture)),
        _ => throw CalculatorExpression.Refused("the expression does not evaluate to a number"),
    };

    private static string FirstLine(string message)
    {
        var line = message.AsSpan();
        var end = line.IndexOfAny('\r', '\n');
        if (end >= 0)
        {
            line = line[..end];
        }

        return line.Length <= 200 ? line.ToString() : string.Concat(line[..200], "…");
    }
}
