namespace MeshFlow.Conditions;

/// <summary>
/// A condition expression could not be parsed. <see cref="Position"/> is the 0-based offset into the expression
/// text where the problem was found, so a caller that knows where the expression sits in a larger document (a YAML
/// file, say) can point at the exact character.
/// </summary>
public sealed class ConditionSyntaxException : FormatException
{
    /// <summary>Creates an exception for a problem described by <paramref name="detail"/> at <paramref name="position"/>.</summary>
    /// <param name="detail">What is wrong, without the position.</param>
    /// <param name="position">The 0-based offset into the expression text.</param>
    public ConditionSyntaxException(string detail, int position)
        : this(detail, position, $"{detail} at column {position + 1}")
    {
    }

    private ConditionSyntaxException(string detail, int position, string message)
        : base(message)
    {
        ArgumentNullException.ThrowIfNull(detail);
        ArgumentOutOfRangeException.ThrowIfNegative(position);
        Detail = detail;
        Position = position;
    }

    /// <summary>The 0-based character offset into the expression text where the problem is.</summary>
    public int Position { get; }

    /// <summary>The description of the problem without its position; <see cref="Exception.Message"/> adds the 1-based column.</summary>
    public string Detail { get; }

    /// <summary>
    /// A problem at <paramref name="position"/>: "<c>{problem} at column N{hint}</c>", so that the column stays next
    /// to the problem when a long hint (such as the list of known names) follows.
    /// </summary>
    internal static ConditionSyntaxException At(string problem, int position, string hint = "") =>
        new(problem + hint, position, $"{problem} at column {position + 1}{hint}");

    /// <summary>
    /// Something other than what was expected turned up at <paramref name="position"/>:
    /// "<c>{expected}, found {found} (column N)</c>".
    /// </summary>
    internal static ConditionSyntaxException Found(string expected, string found, int position)
    {
        var detail = $"{expected}, found {found}";
        return new ConditionSyntaxException(detail, position, $"{detail} (column {position + 1})");
    }
}
