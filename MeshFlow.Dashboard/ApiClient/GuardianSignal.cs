namespace MeshFlow.Dashboard.ApiClient;

/// <summary>One thing the guardian found in a step: the signal, where, what was done, and the tool call it was in.</summary>
public sealed record GuardianSignal(string Signal, string Source, string Action, string? Tool = null, string? CallId = null, int? Offset = null);
