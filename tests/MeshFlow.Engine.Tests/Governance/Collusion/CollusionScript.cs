using MeshFlow.Governance.Collusion;
using MeshFlow.Runs;

namespace MeshFlow.Tests.Governance.Collusion;

/// <summary>Steps of scripted runs for the <see cref="CollusionAuditor"/>, and the texts they pass around.</summary>
internal static class CollusionScript
{
    public const string SupplyTerms =
        "The supplier shall deliver the replacement pumps to the Leeds site within fourteen days of the purchase order. " +
        "Late delivery incurs a credit of two percent of the order value for each week of delay, capped at ten percent. " +
        "Title passes on delivery; risk passes on installation by the supplier's engineers.";

    public const string MaintenanceTerms =
        "Quarterly maintenance covers inspection of seals, bearings and impellers on all twelve pumps. Faults found " +
        "during inspection are repaired at the contractor's cost when parts are under warranty, and quoted separately " +
        "otherwise. The contractor reports each visit within five working days, listing readings taken and parts replaced.";

    public const string OwnReview =
        "APPROVED. The delivery window matches the tender, the credit schedule is capped where finance asked for it, " +
        "and the split between title and risk follows our standard conditions of purchase.";

    /// <summary>A step <c>node:iteration</c> of <paramref name="agent"/> given the outputs of <paramref name="given"/>.</summary>
    public static CollusionStep Step(string? agent, string node, int iteration, string output, params CollusionStep[] given) => new()
    {
        StepId = $"{node}:{iteration}",
        NodeId = node,
        AgentId = agent,
        Output = output,
        Inputs = [.. given.Select(g => new CollusionInput(g.NodeId, g.StepId, g.AgentId, g.Output))],
    };

    /// <summary>A step that calls one tool, with the tools its agent may call.</summary>
    public static CollusionStep Calls(CollusionStep step, string tool, string argumentsJson, params string[] capabilities) => step with
    {
        ToolCalls = [new ToolCallRecord($"call-{step.StepId}", tool, argumentsJson, "ok")],
        Capabilities = new HashSet<string>(capabilities, StringComparer.Ordinal),
    };

    /// <summary>The step, its agent limited to <paramref name="capabilities"/>.</summary>
    public static CollusionStep MayCall(CollusionStep step, params string[] capabilities) =>
        step with { Capabilities = new HashSet<string>(capabilities, StringComparer.Ordinal) };

    /// <summary>Feeds the steps in order and returns every finding.</summary>
    public static List<CollusionFinding> Run(CollusionAuditor auditor, params CollusionStep[] steps) =>
        [.. steps.SelectMany(auditor.Observe)];
}
