namespace MeshFlow.Governance;

/// <summary>What is wrong with a policy as written.</summary>
public enum PolicyProblemKind
{
    /// <summary>A value of the wrong kind or out of range.</summary>
    InvalidValue,

    /// <summary>A field no policy has.</summary>
    UnknownField,

    /// <summary>A mode that is not one of <see cref="PolicyModes.All"/>.</summary>
    UnknownMode,

    /// <summary>A tool name that is not among the known tools.</summary>
    UnknownTool,
}
