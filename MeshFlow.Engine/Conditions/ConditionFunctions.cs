using System.Collections.Frozen;
using System.Text.RegularExpressions;

namespace MeshFlow.Conditions;

/// <summary>The functions a condition may call. Names are case-sensitive.</summary>
internal static class ConditionFunctions
{
    private const RegexOptions PatternOptions = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant;

    private static readonly ConditionFunction[] All =
    [
        TestFunction("contains", ConditionStringTest.Contains),
        TestFunction("icontains", ConditionStringTest.ContainsIgnoringCase),
        TestFunction("starts_with", ConditionStringTest.StartsWith),
        TestFunction("ends_with", ConditionStringTest.EndsWith),
        new("contains_any", 2, int.MaxValue, "contains_any(text, 'a', 'b', ...)",
            static (name, args, position) => new ConditionContainsAnyNode(name, args[0], args[1..], position)),
        TransformFunction("lower", ConditionStringTransform.Lower),
        TransformFunction("upper", ConditionStringTransform.Upper),
        TransformFunction("trim", ConditionStringTransform.Trim),
        new("len", 1, 1, "len(text)", static (name, args, position) => new ConditionLengthNode(name, args[0], position)),
        new("length", 1, 1, "length(text)", static (name, args, position) => new ConditionLengthNode(name, args[0], position)),
        new("number", 1, 1, "number(text)", static (name, args, position) => new ConditionToNumberNode(name, args[0], position)),
        new("matches", 2, 2, "matches(text, 'pattern')", BuildMatches),
    ];

    private static readonly FrozenDictionary<string, ConditionFunction> ByName =
        All.ToFrozenDictionary(function => function.Name, StringComparer.Ordinal);

    /// <summary>The known function names, for error messages.</summary>
    public static string KnownNames { get; } = string.Join(", ", All.Select(function => function.Name));

    public static bool TryGet(string name, out ConditionFunction function) =>
        ByName.TryGetValue(name, out function!);

    /// <summary>The known function names, for suggestions.</summary>
    public static IEnumerable<string> Names => All.Select(function => function.Name);

    private static ConditionFunction TestFunction(string name, ConditionStringTest test) =>
        new(name, 2, 2, $"{name}(text, part)",
            (functionName, args, position) => new ConditionStringTestNode(functionName, test, args[0], args[1], position));

    private static ConditionFunction TransformFunction(string name, ConditionStringTransform transform) =>
        new(name, 1, 1, $"{name}(text)",
            (functionName, args, position) => new ConditionStringTransformNode(functionName, transform, args[0], position));

    private static ConditionMatchesNode BuildMatches(string name, ConditionNode[] args, int position)
    {
        var patternNode = args[1];
        if (patternNode is not ConditionLiteralNode { Value.Kind: ConditionValueKind.Text } literal)
        {
            throw ConditionSyntaxException.At(
                $"the pattern of {name}() must be a quoted string literal", patternNode.Position, ", as in matches(output, '^ok')");
        }

        Regex pattern;
        try
        {
            pattern = new Regex(literal.Value.Text!, PatternOptions, Regex.InfiniteMatchTimeout);
        }
        catch (ArgumentException exception)
        {
            throw ConditionSyntaxException.At(
                $"invalid regular expression in {name}()", patternNode.Position, $": {exception.Message}");
        }
        catch (NotSupportedException exception)
        {
            throw ConditionSyntaxException.At(
                $"unsupported regular expression in {name}()",
                patternNode.Position,
                $": {exception.Message} (patterns are matched in linear time, which rules out backreferences, lookarounds, atomic groups and very large repetitions)");
        }

        return new ConditionMatchesNode(name, args[0], pattern, position);
    }
}
