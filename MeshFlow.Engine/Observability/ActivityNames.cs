namespace MeshFlow.Observability;

/// <summary>The names of MeshFlow's spans.</summary>
public static class ActivityNames
{
    /// <summary>A whole run.</summary>
    public const string Run = "meshflow.run";

    /// <summary>One step of a run.</summary>
    public const string Step = "meshflow.step";
}
