using System.Collections.Concurrent;
using MeshFlow.Agents;
using MeshFlow.Approvals;
using MeshFlow.Events;
using MeshFlow.Execution;
using MeshFlow.Governance;
using MeshFlow.Ledger;
using MeshFlow.Privacy;
using MeshFlow.Workflows;

namespace MeshFlow.Steps;

/// <summary>
/// What every step of one run shares: who and what the run is, its policy, spend, typed state and events, the ledger
/// chain its steps are recorded on, and the steps finished so far.
/// </summary>
internal sealed class RunScope
{
    private readonly ResolvedModel?[] _models;
    private readonly Capabilities?[] _capabilities;
    private readonly List<StepRecord> _steps = [];
    private readonly Lock _stepsGate = new();

    public RunScope(MeshFlowEngine engine, Workflow workflow, string tenantId, string runId, string input, Policy policy,
        RunEventStream events, bool mergeBursts, ReplaySource? replay)
    {
        Engine = engine;
        Workflow = workflow;
        TenantId = tenantId;
        RunId = runId;
        Input = input;
        Policy = policy;
        Events = events;
        MergeBursts = mergeBursts;
        Replay = replay;
        _models = new ResolvedModel?[workflow.Graph.Nodes.Length];
        _capabilities = new Capabilities?[workflow.Graph.Nodes.Length];
        StartedAt = engine.TimeProvider.GetUtcNow();
        AllowedTools = policy.AllowedTools.Count > 0 ? policy.AllowedTools.ToHashSet(StringComparer.Ordinal) : null;
        Audit = new RunAudit(engine.Secrets, policy.Guardian.AllowedHosts);
        Sinks = policy.Guardian.Enabled || policy.ScrubPhi ? new SinkFilter(policy, Audit) : SinkFilter.None;
        events.Filter = Sinks.Active ? Sinks : null;
    }

    /// <summary>What the content checks remember about the run.</summary>
    public RunAudit Audit { get; }

    /// <summary>What text leaving the run's steps for the ledger and events goes through.</summary>
    public SinkFilter Sinks { get; }

    public MeshFlowEngine Engine { get; }

    public Workflow Workflow { get; }

    public string TenantId { get; }

    public string RunId { get; }

    public string Input { get; }

    public Policy Policy { get; }

    public RunEventStream Events { get; }

    public RunBudget Budget { get; } = new();

    /// <summary>
    /// Where the run's wall-time budget counts from: this execution's start, set back by the time a resumed run's
    /// recorded steps took (waiting in the queue or for a human does not count).
    /// </summary>
    public DateTimeOffset StartedAt { get; set; }

    /// <summary>The policy's <c>allowed_tools</c> as a set, or null when it lists none.</summary>
    public IReadOnlySet<string>? AllowedTools { get; }

    public WorkflowState State { get; } = new();

    /// <summary>Whether token deltas a model yields without waiting are published as one (see <c>RunOptions.DeliverEventsInline</c>).</summary>
    public bool MergeBursts { get; }

    /// <summary>Set for a replay: the recorded steps drive the run and nothing is written.</summary>
    public ReplaySource? Replay { get; }

    /// <summary>The run's chain in the ledger, once opened; null when nothing is recorded.</summary>
    public AuditLedger.RunChain? Chain { get; set; }

    /// <summary>Steps the ledger already holds (a resumed run, or a replay), by step id: reused, never executed again.</summary>
    public ConcurrentDictionary<string, LedgerRecord>? Recorded { get; set; }

    /// <summary>What the ledger says about the run's pauses: the decisions a resumed run acts on.</summary>
    public ApprovalHistory Approvals { get; set; } = ApprovalHistory.None;

    /// <summary>The step the run pauses for, once one escalates (the first one when parallel branches both do).</summary>
    public PauseRequest? Pause => Volatile.Read(ref _pause);

    public void RequestPause(PauseRequest pause) => Interlocked.CompareExchange(ref _pause, pause, null);

    private PauseRequest? _pause;

    public LedgerRecord? TakeRecorded(string stepId) =>
        Recorded is not null && Recorded.TryRemove(stepId, out var record) ? record : null;

    /// <summary>A node's model, resolved once per node per run: a scripted model's position in its script belongs to the run.</summary>
    public ResolvedModel ResolveModel(int node, AgentNode agent) => _models[node] ??= Engine.Models.Resolve(agent);

    /// <summary>An agent node's tools and its capabilities under this run's policy, worked out once per node per run.</summary>
    public Capabilities CapabilitiesOf(int node, AgentNode agent)
    {
        if (_capabilities[node] is { } known)
        {
            return known;
        }

        var declared = agent.Tools.Select(t => t.Name).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return _capabilities[node] = new Capabilities(declared,
            IdentityCheck.CapabilitiesOf(declared, Policy).ToHashSet(StringComparer.Ordinal));
    }

    /// <summary>Adds a finished step, numbered in the order steps finish.</summary>
    public StepRecord AddStep(StepRecord step)
    {
        lock (_stepsGate)
        {
            step = step with { Index = _steps.Count + 1 };
            _steps.Add(step);
            return step;
        }
    }

    public List<StepRecord> Steps()
    {
        lock (_stepsGate)
        {
            return [.. _steps];
        }
    }

    /// <summary>Nodes that do not stream still honour the contract: their output arrives as one delta before step_end.</summary>
    public StepResult Whole(string nodeId, string stepId, string? agentId, string output)
    {
        if (output.Length > 0)
        {
            // Published as it leaves the step, as step_end and the ledger carry it (StepRunner cleans the whole output the same way).
            Events.Publish(new TokenDeltaEvent { RunId = RunId, NodeId = nodeId, StepId = stepId, AgentId = agentId, Text = Sinks.Clean(output) });
        }

        return new StepResult(output, default, [], null);
    }
}

/// <summary>
/// An agent's tools as it declares them (what its identity lists, the same for every run) and its capabilities in
/// this run (those tools within the run's policy), as the identity check looks them up.
/// </summary>
internal sealed record Capabilities(IReadOnlyList<string> Declared, IReadOnlySet<string> Set);
