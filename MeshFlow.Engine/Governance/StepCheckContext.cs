using System.Collections.Concurrent;
using MeshFlow.Agents;
using MeshFlow.Governance.Collusion;
using MeshFlow.Governance.Risk;
using MeshFlow.Governance.Uncertainty;
using MeshFlow.Workflows;

namespace MeshFlow.Governance;

/// <summary>What a check knows about the step it judges, and what the checks found about it so far.</summary>
/// <remarks>
/// One context serves one step: it is shared by the checks of that step (before it, before each of its tool calls,
/// after it), which may record findings on it for the step's ledger record and events.
/// </remarks>
public sealed class StepCheckContext
{
    private RiskFinding? _risk;
    private Lock? _findingsGate;
    private List<GuardianFinding>? _guardian;
    private List<CollusionFinding>? _collusion;
    private ConcurrentDictionary<string, RiskFinding>? _toolRisks;

    internal StepCheckContext(string runId, string nodeId, string stepId, int iteration, Policy policy, RunBudget budget)
    {
        RunId = runId;
        NodeId = nodeId;
        StepId = stepId;
        Iteration = iteration;
        Policy = policy;
        Budget = budget;
    }

    /// <summary>The run.</summary>
    public string RunId { get; }

    /// <summary>The node about to run.</summary>
    public string NodeId { get; }

    /// <summary>The step's id (<c>node:iteration</c>).</summary>
    public string StepId { get; }

    /// <summary>How many times the node has run in this run, this step included.</summary>
    public int Iteration { get; }

    /// <summary>The policy in force.</summary>
    public Policy Policy { get; }

    /// <summary>What the run has spent so far.</summary>
    public RunBudget Budget { get; }

    /// <summary>The tenant the run belongs to.</summary>
    public string TenantId { get; internal init; } = "default";

    /// <summary>The workflow's name.</summary>
    public string Workflow { get; internal init; } = string.Empty;

    /// <summary>The node about to run.</summary>
    public WorkflowNode? Node { get; internal init; }

    /// <summary>When the run started (its wall-time budget counts from here).</summary>
    public DateTimeOffset RunStartedAt { get; internal init; }

    /// <summary>The clock.</summary>
    public TimeProvider Time { get; internal init; } = TimeProvider.System;

    /// <summary>The agent's identity, for agent steps.</summary>
    public Identity.AgentIdentity? Agent { get; internal init; }

    /// <summary>
    /// The tools this step may call: an agent's declared tools within the policy's <c>allowed_tools</c>; for a tool
    /// node, the policy's list. Null when nothing restricts them.
    /// </summary>
    public IReadOnlySet<string>? Capabilities { get; internal init; }

    /// <summary>What the tenant has spent today (UTC) across its runs, when the policy limits it.</summary>
    public decimal? TenantSpentToday { get; internal init; }

    /// <summary>The run's input.</summary>
    public string RunInput { get; internal init; } = string.Empty;

    /// <summary>The outputs of other nodes the step is given; empty for a step of the run's first nodes.</summary>
    public IReadOnlyList<NodeInput> Inputs { get; internal init; } = [];

    /// <summary>What the content checks remember about the run.</summary>
    public RunAudit Audit { get; internal init; } = RunAudit.None;

    /// <summary>The model an agent step calls (with its provider and price); null for other steps.</summary>
    public ResolvedModel? Model { get; internal init; }

    /// <summary>The node's own output of its previous pass in a loop, if any.</summary>
    public string? PreviousOutput { get; internal init; }

    /// <summary>
    /// True when a reviewer approved this step after it was escalated. The escalation approved (before the call, or
    /// that one tool call) is lifted; any other escalation of the step waits for its own approval, and blocks stand.
    /// </summary>
    public bool Approved => Approval is not null;

    internal Steps.StepApproval? Approval { get; init; }

    /// <summary>Token log-probabilities the provider returned for the step's output, when it returns them.</summary>
    public IReadOnlyList<double>? LogProbabilities => TokenLogProbabilities;

    internal double[]? TokenLogProbabilities { get; set; }

    /// <summary>The highest risk found among the step's actions so far.</summary>
    public RiskFinding? Risk => Volatile.Read(ref _risk);

    /// <summary>The step's uncertainty score, once assessed.</summary>
    public double? Uncertainty { get; private set; }

    /// <summary>How the uncertainty score was reached.</summary>
    public UncertaintyFinding? UncertaintyFinding { get; private set; }

    /// <summary>
    /// Records a risk finding; the highest tier of the step stands, and of equal tiers the latest (a tool call's finding
    /// says more than the model call's that led to it).
    /// </summary>
    public void RecordRisk(RiskFinding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);

        // Concurrent tool calls of one step may record at once; the highest tier wins without a lock.
        while (true)
        {
            var current = Volatile.Read(ref _risk);
            if (current is not null && finding.Tier < current.Tier)
            {
                return;
            }

            if (Interlocked.CompareExchange(ref _risk, finding, current) == current)
            {
                return;
            }
        }
    }

    /// <summary>The risk finding of one of the step's tool calls, by its call id; null until a check rated the call.</summary>
    public RiskFinding? ToolCallRisk(string callId) =>
        Volatile.Read(ref _toolRisks) is { } risks && risks.TryGetValue(callId, out var finding) ? finding : null;

    /// <summary>
    /// Records the risk finding of one tool call for that call's record and events (the step's own finding, the highest,
    /// is recorded with <see cref="RecordRisk"/>). Concurrent tool calls of the step may record at once.
    /// </summary>
    public void RecordToolCallRisk(string callId, RiskFinding finding)
    {
        ArgumentNullException.ThrowIfNull(callId);
        ArgumentNullException.ThrowIfNull(finding);
        LazyInitializer.EnsureInitialized(ref _toolRisks, static () => new(StringComparer.Ordinal))[callId] = finding;
    }

    // Made when first needed: most steps record no finding.
    private Lock FindingsGate => LazyInitializer.EnsureInitialized(ref _findingsGate);

    /// <summary>What the guardian found in the step so far, in the order found.</summary>
    public IReadOnlyList<GuardianFinding> GuardianFindings
    {
        get
        {
            lock (FindingsGate)
            {
                return _guardian is null ? [] : [.. _guardian];
            }
        }
    }

    /// <summary>What the collusion audit found when the step finished.</summary>
    public IReadOnlyList<CollusionFinding> CollusionFindings
    {
        get
        {
            lock (FindingsGate)
            {
                return _collusion is null ? [] : [.. _collusion];
            }
        }
    }

    /// <summary>Records a guardian finding for the step's record (concurrent tool calls of the step may record at once).</summary>
    public void RecordGuardian(GuardianFinding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        lock (FindingsGate)
        {
            (_guardian ??= []).Add(finding);
        }
    }

    /// <summary>Records a collusion finding; it becomes a ledger record of its own after the step's.</summary>
    public void RecordCollusion(CollusionFinding finding)
    {
        ArgumentNullException.ThrowIfNull(finding);
        lock (FindingsGate)
        {
            (_collusion ??= []).Add(finding);
        }
    }

    /// <summary>Records the step's uncertainty score (clamped to [0, 1]) and how it was reached.</summary>
    public void RecordUncertainty(double score, UncertaintyFinding finding)
    {
        Uncertainty = Math.Clamp(score, 0, 1);
        UncertaintyFinding = finding;
    }
}
