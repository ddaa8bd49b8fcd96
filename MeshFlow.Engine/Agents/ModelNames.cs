namespace MeshFlow.Agents;

/// <summary>The built-in model names.</summary>
public static class ModelNames
{
    /// <summary>
    /// Deterministic output derived from the prompt, streamed token by token, labelled offline in every event and
    /// record. It lets demos and tests run anywhere; it never pretends to be a real model.
    /// </summary>
    public const string Offline = "offline";

    /// <summary>Replays a node's <c>responses</c> in order, one per call (tests, demos).</summary>
    public const string Scripted = "scripted";
}
