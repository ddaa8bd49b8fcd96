namespace MeshFlow.Dashboard.ApiClient;

/// <summary>A page of runs, newest first; <see cref="NextCursor"/> asks for the next page, null on the last.</summary>
public sealed record RunList(IReadOnlyList<RunListItem> Runs, string? NextCursor);
