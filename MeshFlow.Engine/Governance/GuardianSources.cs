namespace MeshFlow.Governance;

/// <summary>Where in a step the guardian found something (<see cref="GuardianFinding.Source"/>).</summary>
public static class GuardianSources
{
    /// <summary>The run's input, scanned when the policy marks it untrusted.</summary>
    public const string RunInput = "run_input";

    /// <summary>What a tool returned, before a model or a later node sees it.</summary>
    public const string ToolResult = "tool_result";

    /// <summary>The arguments of a tool call.</summary>
    public const string ToolArguments = "tool_arguments";

    /// <summary>The agent's output.</summary>
    public const string Output = "output";

    /// <summary>The agent's behaviour across its steps.</summary>
    public const string Behaviour = "behaviour";
}
