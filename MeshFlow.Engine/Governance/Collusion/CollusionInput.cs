namespace MeshFlow.Governance.Collusion;

/// <summary>One output a step was given to work on.</summary>
/// <param name="NodeId">The node that produced it.</param>
/// <param name="StepId">The step that produced it.</param>
/// <param name="AgentId">The agent that produced it, or null (the node then stands for the agent).</param>
/// <param name="Output">The output's text.</param>
public sealed record CollusionInput(string NodeId, string StepId, string? AgentId, string Output);
