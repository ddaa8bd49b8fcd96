using MeshFlow.Execution;
using MeshFlow.Governance;

namespace MeshFlow.Steps;

/// <summary>A step that waits for a human: the step as recorded, where it paused, the verdict and, for a human node, its instructions.</summary>
internal sealed record PauseRequest(StepRecord Step, string Stage, StepVerdict Verdict, string? Instructions);
