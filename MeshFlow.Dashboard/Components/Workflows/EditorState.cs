namespace MeshFlow.Dashboard.Components.Workflows;

/// <summary>Where the editor's text stands with the API's validator.</summary>
public enum EditorState
{
    /// <summary>Edited since the last answer; validation waits for typing to pause.</summary>
    Pending,

    /// <summary>The request is on its way.</summary>
    Validating,

    Valid,

    Invalid,

    /// <summary>The validator could not be asked (the API is unreachable or refused the call).</summary>
    Failed,
}
