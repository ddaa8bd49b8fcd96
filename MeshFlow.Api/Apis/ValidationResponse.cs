namespace MeshFlow.Api.Apis;

/// <summary>A valid workflow's outline, as <c>POST /workflows/validate</c> answers it.</summary>
public sealed record ValidationResponse(bool Valid, string Name, string Policy, IReadOnlyList<string> Nodes, int Edges, int LoopEdges);
