namespace MeshFlow.Conditions;

/// <summary>
/// A parsed edge condition such as <c>!contains(output, 'APPROVED') &amp;&amp; iteration &lt; 3</c>. Parsing builds
/// an immutable tree once; <see cref="Evaluate"/> walks it against a scope without running any code of the author's
/// and, for typical conditions, without allocating. An instance is safe to evaluate from several threads at once.
/// </summary>
/// <remarks>
/// <para>
/// Values: strings (<c>'single'</c> or <c>"double"</c> quoted, with <c>\\ \' \" \n \r \t</c> escapes; any other
/// backslash is kept as written), numbers (<c>3</c>, <c>0.75</c>), <c>true</c>, <c>false</c> and <c>null</c>.
/// </para>
/// <para>
/// Names: <c>output</c> (string), <c>iteration</c> (number), <c>state.key</c> / <c>state['key']</c> (JSON strings,
/// numbers, booleans and null map to themselves, arrays and objects to their JSON text, missing to null; object
/// properties can be followed, as in <c>state.review.verdict</c>) and <c>outputs.node</c> /
/// <c>outputs['node-id']</c> (string, or null when the node has no output).
/// </para>
/// <para>
/// Operators, lowest precedence first: <c>||</c> (<c>or</c>); <c>&amp;&amp;</c> (<c>and</c>); <c>==</c> <c>!=</c>;
/// <c>&lt; &lt;= &gt; &gt;=</c>; unary <c>!</c> (<c>not</c>) and <c>-</c>. <c>&amp;&amp;</c> and <c>||</c> short-circuit.
/// Logical operators need booleans; there is no truthiness. <c>==</c> between different kinds is false;
/// ordering needs two numbers or two strings (compared ordinally).
/// </para>
/// <para>
/// Functions: <c>contains</c>, <c>icontains</c>, <c>starts_with</c>, <c>ends_with</c>, <c>contains_any</c>,
/// <c>lower</c>, <c>upper</c>, <c>trim</c>, <c>len</c>/<c>length</c>, <c>number</c> and <c>matches</c> (whose
/// pattern must be a string literal; it is compiled at parse time with
/// <see cref="System.Text.RegularExpressions.RegexOptions.NonBacktracking"/>, so matching is linear in the input).
/// String functions treat null as the empty string.
/// </para>
/// </remarks>
public sealed class ConditionExpression
{
    private readonly ConditionNode _root;

    private ConditionExpression(string text, ConditionNode root)
    {
        Text = text;
        _root = root;
    }

    /// <summary>The expression exactly as it was written.</summary>
    public string Text { get; }

    /// <summary>Parses a condition.</summary>
    /// <param name="text">The expression text.</param>
    /// <returns>The parsed condition, ready to evaluate any number of times.</returns>
    /// <exception cref="ConditionSyntaxException">The text is not a valid condition; its position says where.</exception>
    public static ConditionExpression Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return new ConditionExpression(text, ConditionParser.Parse(text));
    }

    /// <summary>Parses a condition, reporting a syntax problem instead of throwing it.</summary>
    /// <param name="text">The expression text.</param>
    /// <param name="expression">The parsed condition, or null when the text is not valid.</param>
    /// <param name="error">The problem with the text, or null when it parsed.</param>
    /// <returns>Whether the text parsed.</returns>
    public static bool TryParse(string text, out ConditionExpression? expression, out ConditionSyntaxException? error)
    {
        ArgumentNullException.ThrowIfNull(text);
        try
        {
            expression = new ConditionExpression(text, ConditionParser.Parse(text));
            error = null;
            return true;
        }
        catch (ConditionSyntaxException exception)
        {
            expression = null;
            error = exception;
            return false;
        }
    }

    /// <summary>Evaluates the condition against <paramref name="scope"/>.</summary>
    /// <param name="scope">What the condition can see: the output, the iteration, other nodes' outputs and the state.</param>
    /// <returns>The condition's boolean result.</returns>
    /// <exception cref="ConditionEvaluationException">
    /// A value had the wrong type for an operator or function, or the result was not a boolean.
    /// </exception>
    public bool Evaluate(IConditionScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        ConditionValue result;
        try
        {
            result = _root.Evaluate(scope);
        }
        catch (ConditionEvaluationFailure failure)
        {
            throw new ConditionEvaluationException(
                $"{failure.Message} at column {failure.Position + 1} of condition \"{Text}\"");
        }

        if (!result.IsBoolean)
        {
            throw new ConditionEvaluationException(
                $"condition \"{Text}\" must produce true or false, but produced {result.Describe()}");
        }

        return result.IsTrue;
    }

    /// <summary>Returns <see cref="Text"/>.</summary>
    /// <returns>The expression exactly as it was written.</returns>
    public override string ToString() => Text;
}
