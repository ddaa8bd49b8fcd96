using System.Globalization;
using System.Text.RegularExpressions;

namespace MeshFlow.Conditions;

/// <summary>A call of a built-in function; knows its name for error messages.</summary>
internal abstract class ConditionFunctionNode : ConditionNode
{
    protected ConditionFunctionNode(string name, int position)
        : base(position)
    {
        Name = name;
    }

    protected string Name { get; }

    /// <summary>Evaluates a string argument; null counts as the empty string, anything else is an error.</summary>
    protected string EvaluateText(ConditionNode argument, IConditionScope scope)
    {
        var value = argument.Evaluate(scope);
        return value.Kind switch
        {
            ConditionValueKind.Text => value.Text!,
            ConditionValueKind.Null => string.Empty,
            _ => throw new ConditionEvaluationFailure(
                $"{Name}() expects a string here, but got {value.Describe()}", argument.Position),
        };
    }
}

/// <summary><c>contains</c>, <c>icontains</c>, <c>starts_with</c>, <c>ends_with</c>.</summary>
internal sealed class ConditionStringTestNode : ConditionFunctionNode
{
    private readonly ConditionStringTest _test;
    private readonly ConditionNode _subject;
    private readonly ConditionNode _part;

    public ConditionStringTestNode(string name, ConditionStringTest test, ConditionNode subject, ConditionNode part, int position)
        : base(name, position)
    {
        _test = test;
        _subject = subject;
        _part = part;
    }

    public override ConditionValue Evaluate(IConditionScope scope)
    {
        var subject = EvaluateText(_subject, scope);
        var part = EvaluateText(_part, scope);
        return ConditionValue.FromBoolean(_test switch
        {
            ConditionStringTest.Contains => subject.Contains(part, StringComparison.Ordinal),
            ConditionStringTest.ContainsIgnoringCase => subject.Contains(part, StringComparison.OrdinalIgnoreCase),
            ConditionStringTest.StartsWith => subject.StartsWith(part, StringComparison.Ordinal),
            _ => subject.EndsWith(part, StringComparison.Ordinal),
        });
    }
}

/// <summary><c>contains_any(text, 'a', 'b', ...)</c>: true when the text contains any of the parts (ordinal).</summary>
internal sealed class ConditionContainsAnyNode : ConditionFunctionNode
{
    private readonly ConditionNode _subject;
    private readonly ConditionNode[] _parts;

    public ConditionContainsAnyNode(string name, ConditionNode subject, ConditionNode[] parts, int position)
        : base(name, position)
    {
        _subject = subject;
        _parts = parts;
    }

    public override ConditionValue Evaluate(IConditionScope scope)
    {
        var subject = EvaluateText(_subject, scope);
        foreach (var part in _parts)
        {
            if (subject.Contains(EvaluateText(part, scope), StringComparison.Ordinal))
            {
                return ConditionValue.True;
            }
        }

        return ConditionValue.False;
    }
}

/// <summary><c>lower</c>, <c>upper</c>, <c>trim</c> (invariant culture).</summary>
internal sealed class ConditionStringTransformNode : ConditionFunctionNode
{
    private readonly ConditionStringTransform _transform;
    private readonly ConditionNode _argument;

    public ConditionStringTransformNode(string name, ConditionStringTransform transform, ConditionNode argument, int position)
        : base(name, position)
    {
        _transform = transform;
        _argument = argument;
    }

    public override ConditionValue Evaluate(IConditionScope scope)
    {
        var text = EvaluateText(_argument, scope);
        return ConditionValue.FromText(_transform switch
        {
            ConditionStringTransform.Lower => text.ToLowerInvariant(),
            ConditionStringTransform.Upper => text.ToUpperInvariant(),
            _ => text.Trim(),
        });
    }
}

/// <summary><c>len</c> / <c>length</c>: the number of UTF-16 characters; null has length 0.</summary>
internal sealed class ConditionLengthNode : ConditionFunctionNode
{
    private readonly ConditionNode _argument;

    public ConditionLengthNode(string name, ConditionNode argument, int position)
        : base(name, position)
    {
        _argument = argument;
    }

    public override ConditionValue Evaluate(IConditionScope scope) =>
        ConditionValue.FromNumber(EvaluateText(_argument, scope).Length);
}

/// <summary><c>number(text)</c>: parses a number with the invariant culture; a number passes through.</summary>
internal sealed class ConditionToNumberNode : ConditionFunctionNode
{
    private readonly ConditionNode _argument;

    public ConditionToNumberNode(string name, ConditionNode argument, int position)
        : base(name, position)
    {
        _argument = argument;
    }

    public override ConditionValue Evaluate(IConditionScope scope)
    {
        var value = _argument.Evaluate(scope);
        if (value.Kind == ConditionValueKind.Number)
        {
            return value;
        }

        if (value.Kind == ConditionValueKind.Text
            && double.TryParse(value.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            && double.IsFinite(number))
        {
            return ConditionValue.FromNumber(number);
        }

        throw new ConditionEvaluationFailure(
            $"{Name}() could not read {value.Describe()} as a number", _argument.Position);
    }
}

/// <summary>
/// <c>matches(text, 'pattern')</c>: the pattern was compiled once at parse time with
/// <see cref="RegexOptions.NonBacktracking"/>, so matching is linear in the input.
/// </summary>
internal sealed class ConditionMatchesNode : ConditionFunctionNode
{
    private readonly ConditionNode _subject;
    private readonly Regex _pattern;

    public ConditionMatchesNode(string name, ConditionNode subject, Regex pattern, int position)
        : base(name, position)
    {
        _subject = subject;
        _pattern = pattern;
    }

    public override ConditionValue Evaluate(IConditionScope scope) =>
        ConditionValue.FromBoolean(_pattern.IsMatch(EvaluateText(_subject, scope)));
}
