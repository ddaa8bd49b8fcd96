namespace MeshFlow.Conditions;

/// <summary>
/// A built-in function: its name, how many arguments it takes, a usage example for messages, and how to build its
/// node from parsed arguments (which may itself reject an argument, as <c>matches</c> does with a bad pattern).
/// </summary>
internal sealed class ConditionFunction
{
    public ConditionFunction(string name, int minArguments, int maxArguments, string usage, Func<string, ConditionNode[], int, ConditionNode> build)
    {
        Name = name;
        MinArguments = minArguments;
        MaxArguments = maxArguments;
        Usage = usage;
        Build = build;
    }

    public string Name { get; }

    public int MinArguments { get; }

    public int MaxArguments { get; }

    public string Usage { get; }

    /// <summary>Builds the node from the function name, the arguments and the position of the name.</summary>
    public Func<string, ConditionNode[], int, ConditionNode> Build { get; }

    public string Arity =>
        MinArguments == MaxArguments
            ? $"{MinArguments} argument{(MinArguments == 1 ? string.Empty : "s")}"
            : $"at least {MinArguments} arguments";
}
