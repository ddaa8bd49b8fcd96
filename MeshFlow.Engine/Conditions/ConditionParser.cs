using MeshFlow.Diagnostics;

namespace MeshFlow.Conditions;

/// <summary>
/// A recursive-descent parser from tokens to an evaluation tree. Precedence, lowest first: <c>||</c>/<c>or</c>,
/// <c>&amp;&amp;</c>/<c>and</c>, <c>==</c> <c>!=</c>, <c>&lt; &lt;= &gt; &gt;=</c>, unary <c>!</c>/<c>not</c> and
/// <c>-</c>, then literals, names, calls and parentheses. Comparisons do not chain (<c>a &lt; b &lt; c</c> is an
/// error), and nesting is bounded so that no input can exhaust the stack.
/// </summary>
internal sealed class ConditionParser
{
    private const int MaxNesting = 64;
    private const int DescribedTokenLimit = 30;
    private const string AllowedNames = "output, iteration, state.<key>, outputs.<node-id>, true, false, null";

    private static readonly string[] Names = ["output", "iteration", "state", "outputs", "true", "false", "null"];

    private readonly string _text;
    private readonly List<ConditionToken> _tokens;
    private int _index;
    private int _nesting;

    private ConditionParser(string text, List<ConditionToken> tokens)
    {
        _text = text;
        _tokens = tokens;
    }

    private ConditionToken Current => _tokens[_index];

    /// <summary>Parses <paramref name="text"/>, throwing <see cref="ConditionSyntaxException"/> on any problem.</summary>
    public static ConditionNode Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw ConditionSyntaxException.At("the condition is empty", 0);
        }

        var parser = new ConditionParser(text, ConditionTokenizer.Tokenize(text));
        var root = parser.ParseOr();
        parser.ExpectEnd();
        return root;
    }

    private ConditionToken Advance()
    {
        var token = _tokens[_index];
        if (token.Kind != ConditionTokenKind.End)
        {
            _index++;
        }

        return token;
    }

    private void Enter()
    {
        if (++_nesting > MaxNesting)
        {
            throw ConditionSyntaxException.At($"the condition is nested too deeply (more than {MaxNesting} levels)", Current.Start);
        }
    }

    private void ExpectEnd()
    {
        var token = Current;
        if (token.Kind == ConditionTokenKind.End)
        {
            return;
        }

        if (token.Kind == ConditionTokenKind.RightParen)
        {
            throw ConditionSyntaxException.At("unexpected ')'", token.Start, " with no matching '('");
        }

        var expected = token.Kind == ConditionTokenKind.Minus
            ? "expected an operator or the end of the condition (there is no subtraction; a node id containing '-' is written outputs['node-id'])"
            : "expected an operator or the end of the condition";
        throw ConditionSyntaxException.Found(expected, Describe(token), token.Start);
    }

    private ConditionNode ParseOr()
    {
        Enter();
        var first = ParseAnd();
        var result = first;
        if (IsOr(Current))
        {
            var operands = new List<ConditionNode> { first };
            while (IsOr(Current))
            {
                Advance();
                operands.Add(ParseAnd());
            }

            result = new ConditionOrNode([.. operands]);
        }

        _nesting--;
        return result;
    }

    private ConditionNode ParseAnd()
    {
        var first = ParseEquality();
        if (!IsAnd(Current))
        {
            return first;
        }

        var operands = new List<ConditionNode> { first };
        while (IsAnd(Current))
        {
            Advance();
            operands.Add(ParseEquality());
        }

        return new ConditionAndNode([.. operands]);
    }

    private ConditionNode ParseEquality()
    {
        var left = ParseComparison();
        if (!IsEquality(Current.Kind))
        {
            return left;
        }

        var operatorToken = Advance();
        var right = ParseComparison();
        if (IsEquality(Current.Kind))
        {
            throw Chained(Current);
        }

        return new ConditionEqualityNode(left, right, negated: operatorToken.Kind == ConditionTokenKind.BangEqual);
    }

    private ConditionNode ParseComparison()
    {
        var left = ParseUnary();
        if (!TryGetComparison(Current.Kind, out var comparison))
        {
            return left;
        }

        var operatorToken = Advance();
        var right = ParseUnary();
        if (TryGetComparison(Current.Kind, out _))
        {
            throw Chained(Current);
        }

        return new ConditionComparisonNode(left, right, comparison, operatorToken.Start);
    }

    private ConditionNode ParseUnary()
    {
        var token = Current;
        var isNot = token.Kind == ConditionTokenKind.Bang || token.IsWord("not");
        if (!isNot && token.Kind != ConditionTokenKind.Minus)
        {
            return ParsePrimary();
        }

        Advance();
        Enter();
        var operand = ParseUnary();
        _nesting--;
        if (isNot)
        {
            return new ConditionNotNode(operand, token.Start);
        }

        return operand is ConditionLiteralNode { Value.Kind: ConditionValueKind.Number } literal
            ? new ConditionLiteralNode(ConditionValue.FromNumber(-literal.Value.Number), token.Start)
            : new ConditionNegateNode(operand, token.Start);
    }

    private ConditionNode ParsePrimary()
    {
        var token = Current;
        switch (token.Kind)
        {
            case ConditionTokenKind.Number:
                Advance();
                return new ConditionLiteralNode(ConditionValue.FromNumber(token.Number), token.Start);
            case ConditionTokenKind.String:
                Advance();
                return new ConditionLiteralNode(ConditionValue.FromText(token.Value), token.Start);
            case ConditionTokenKind.LeftParen:
                Advance();
                var inner = ParseOr();
                if (Current.Kind != ConditionTokenKind.RightParen)
                {
                    throw ConditionSyntaxException.Found(
                        $"expected ')' to close '(' opened at column {token.Start + 1}", Describe(Current), Current.Start);
                }

                Advance();
                return inner;
            case ConditionTokenKind.Identifier when !token.IsWord("and") && !token.IsWord("or"):
                return _tokens[_index + 1].Kind == ConditionTokenKind.LeftParen ? ParseCall() : ParseName();
            default:
                throw ExpectedValue(token);
        }
    }

    private ConditionNode ParseName()
    {
        var token = Advance();
        return token.Value switch
        {
            "true" => new ConditionLiteralNode(ConditionValue.True, token.Start),
            "false" => new ConditionLiteralNode(ConditionValue.False, token.Start),
            "null" => new ConditionLiteralNode(ConditionValue.Null, token.Start),
            "output" => new ConditionOutputNode(token.Start),
            "iteration" => new ConditionIterationNode(token.Start),
            "state" => ParseStatePath(token),
            "outputs" => ParseNodeOutput(token),
            _ => throw UnknownName(token),
        };
    }

    private ConditionStateNode ParseStatePath(ConditionToken stateToken)
    {
        var path = new List<string>();
        while (true)
        {
            if (Current.Kind == ConditionTokenKind.Dot)
            {
                path.Add(ParseDotKey("a key name"));
            }
            else if (Current.Kind == ConditionTokenKind.LeftBracket)
            {
                path.Add(ParseBracketKey("state['my-key']"));
            }
            else
            {
                break;
            }
        }

        if (path.Count == 0)
        {
            throw ConditionSyntaxException.Found("expected '.key' or ['key'] after 'state'", Describe(Current), Current.Start);
        }

        return new ConditionStateNode([.. path], stateToken.Start);
    }

    private ConditionOtherOutputNode ParseNodeOutput(ConditionToken outputsToken)
    {
        var nodeId = Current.Kind switch
        {
            ConditionTokenKind.Dot => ParseDotKey("a node id"),
            ConditionTokenKind.LeftBracket => ParseBracketKey("outputs['node-id']"),
            _ => throw ConditionSyntaxException.Found(
                "expected '.node-id' or ['node-id'] after 'outputs'", Describe(Current), Current.Start),
        };
        if (Current.Kind is ConditionTokenKind.Dot or ConditionTokenKind.LeftBracket)
        {
            throw ConditionSyntaxException.At($"unexpected '{SourceText(Current)}'", Current.Start, $"; outputs['{nodeId}'] is a string and has no members");
        }

        return new ConditionOtherOutputNode(nodeId, outputsToken.Start);
    }

    private string ParseDotKey(string what)
    {
        Advance();
        if (Current.Kind != ConditionTokenKind.Identifier)
        {
            throw ConditionSyntaxException.Found($"expected {what} after '.'", Describe(Current), Current.Start);
        }

        return Advance().Value!;
    }

    private string ParseBracketKey(string example)
    {
        var open = Advance();
        if (Current.Kind != ConditionTokenKind.String)
        {
            throw ConditionSyntaxException.Found($"expected a quoted key inside [ ], as in {example}", Describe(Current), Current.Start);
        }

        var key = Advance().Value!;
        if (Current.Kind != ConditionTokenKind.RightBracket)
        {
            throw ConditionSyntaxException.Found(
                $"expected ']' to close '[' opened at column {open.Start + 1}", Describe(Current), Current.Start);
        }

        Advance();
        return key;
    }

    private ConditionNode ParseCall()
    {
        var nameToken = Advance();
        var open = Advance();
        var name = nameToken.Value!;
        if (!ConditionFunctions.TryGet(name, out var function))
        {
            if (Names.Contains(name, StringComparer.Ordinal) || name is "and" or "or" or "not")
            {
                throw ConditionSyntaxException.At($"'{name}' is not a function", nameToken.Start);
            }

            var suggestion = NameSuggestions.Closest(name, ConditionFunctions.Names);
            var hint = suggestion is null ? string.Empty : $" (did you mean '{suggestion}'?)";
            throw ConditionSyntaxException.At(
                $"unknown function '{name}'{hint}", nameToken.Start, $"; the functions are {ConditionFunctions.KnownNames}");
        }

        var arguments = new List<ConditionNode>();
        if (Current.Kind != ConditionTokenKind.RightParen)
        {
            while (true)
            {
                arguments.Add(ParseOr());
                if (Current.Kind == ConditionTokenKind.Comma)
                {
                    Advance();
                }
                else if (Current.Kind == ConditionTokenKind.RightParen)
                {
                    break;
                }
                else
                {
                    throw ConditionSyntaxException.Found(
                        $"expected ',' or ')' to close the call to {name}( opened at column {open.Start + 1}",
                        Describe(Current),
                        Current.Start);
                }
            }
        }

        Advance();
        if (arguments.Count < function.MinArguments || arguments.Count > function.MaxArguments)
        {
            throw ConditionSyntaxException.At(
                $"{name}() takes {function.Arity} but was given {arguments.Count}", nameToken.Start, $", as in {function.Usage}");
        }

        return function.Build(name, [.. arguments], nameToken.Start);
    }

    private static ConditionSyntaxException UnknownName(ConditionToken token)
    {
        var name = token.Value!;
        if (ConditionFunctions.TryGet(name, out var function))
        {
            return ConditionSyntaxException.At($"'{name}' is a function", token.Start, $"; call it with arguments, as in {function.Usage}");
        }

        var suggestion = NameSuggestions.Closest(name, Names);
        var hint = suggestion is null ? string.Empty : $" (did you mean '{suggestion}'?)";
        return ConditionSyntaxException.At(
            $"unknown name '{name}'{hint}",
            token.Start,
            $"; a condition can use {AllowedNames} and the functions {ConditionFunctions.KnownNames}");
    }

    private ConditionSyntaxException ExpectedValue(ConditionToken found)
    {
        var expected = _index > 0
            ? $"expected a value after '{SourceText(_tokens[_index - 1])}' at column {_tokens[_index - 1].Start + 1}"
            : "expected a value";
        return ConditionSyntaxException.Found(expected, Describe(found), found.Start);
    }

    private ConditionSyntaxException Chained(ConditionToken operatorToken) =>
        ConditionSyntaxException.At(
            $"'{SourceText(operatorToken)}' cannot follow another comparison",
            operatorToken.Start,
            "; combine comparisons with '&&' or use parentheses");

    private string SourceText(ConditionToken token) => _text.Substring(token.Start, token.Length);

    private string Describe(ConditionToken token)
    {
        var source = SourceText(token);
        return token.Kind switch
        {
            ConditionTokenKind.End => "end of expression",
            ConditionTokenKind.String => source.Length <= DescribedTokenLimit
                ? $"the string {source}"
                : $"the string {source[..DescribedTokenLimit]}…",
            ConditionTokenKind.Number => $"the number {source}",
            _ => $"'{source}'",
        };
    }

    private static bool IsOr(ConditionToken token) => token.Kind == ConditionTokenKind.OrOr || token.IsWord("or");

    private static bool IsAnd(ConditionToken token) => token.Kind == ConditionTokenKind.AndAnd || token.IsWord("and");

    private static bool IsEquality(ConditionTokenKind kind) => kind is ConditionTokenKind.EqualEqual or ConditionTokenKind.BangEqual;

    private static bool TryGetComparison(ConditionTokenKind kind, out ConditionComparisonOperator comparison)
    {
        comparison = kind switch
        {
            ConditionTokenKind.Less => ConditionComparisonOperator.Less,
            ConditionTokenKind.LessEqual => ConditionComparisonOperator.LessOrEqual,
            ConditionTokenKind.Greater => ConditionComparisonOperator.Greater,
            _ => ConditionComparisonOperator.GreaterOrEqual,
        };
        return kind is ConditionTokenKind.Less or ConditionTokenKind.LessEqual or ConditionTokenKind.Greater or ConditionTokenKind.GreaterEqual;
    }
}
