using System.Collections.Concurrent;
using MeshFlow.Governance.Collusion;
using MeshFlow.Governance.Guardian;

namespace MeshFlow.Governance;

/// <summary>
/// What the content checks remember about one run: the guardian's leak scanner (the run's secrets and allowed hosts),
/// each agent's behaviour so far and what the run's agents did together. Shared by the run's steps, made when first used.
/// </summary>
public sealed class RunAudit
{
    private readonly IReadOnlyCollection<string> _secrets;
    private readonly IReadOnlyCollection<string> _allowedHosts;
    private LeakScanner? _leaks;
    private BehaviourMonitor? _behaviour;
    private CollusionAuditor? _collusion;
    private ConcurrentDictionary<string, (string StepId, string? AgentId)>? _lastSteps;
    private InjectionScan? _input;
    private volatile bool _inputApproved;

    internal RunAudit(IReadOnlyCollection<string> secrets, IReadOnlyCollection<string> allowedHosts)
    {
        _secrets = secrets;
        _allowedHosts = allowedHosts;
    }

    /// <summary>Finds the run's configured secrets, credentials of every common shape, and exfiltration channels.</summary>
    public LeakScanner Leaks => LazyInitializer.EnsureInitialized(ref _leaks, () => new LeakScanner(_secrets, _allowedHosts.Count > 0 ? _allowedHosts : null));

    /// <summary>Each agent's outputs, tokens and cost so far.</summary>
    public BehaviourMonitor Behaviour => LazyInitializer.EnsureInitialized(ref _behaviour, static () => new BehaviourMonitor());

    /// <summary>An audit that remembers nothing, for contexts made outside a run.</summary>
    internal static RunAudit None { get; } = new([], []);

    /// <summary>The id of the node's latest finished step, or the node's id before any.</summary>
    public string LastStepOf(string nodeId) => _lastSteps?.TryGetValue(nodeId, out var last) == true ? last.StepId : nodeId;

    /// <summary>The agent of the node's latest finished step, if it was an agent's.</summary>
    public string? AgentOf(string nodeId) => _lastSteps?.TryGetValue(nodeId, out var last) == true ? last.AgentId : null;

    /// <summary>Notes a node's finished step, whose output later steps are given.</summary>
    public void Finished(string nodeId, string stepId, string? agentId) =>
        LazyInitializer.EnsureInitialized(ref _lastSteps, static () => new(StringComparer.Ordinal))[nodeId] = (stepId, agentId);

    /// <summary>
    /// What the scan of the run's input found (scanned once per run), or null when it is clean or a reviewer approved
    /// it at an earlier step of the run.
    /// </summary>
    public InjectionFinding? InputFinding(string input) =>
        _inputApproved ? null : LazyInitializer.EnsureInitialized(ref _input, () => new InjectionScan(InjectionScanner.Scan(input))).Finding;

    /// <summary>A reviewer approved the run's input: the agents after that step are not stopped for it again.</summary>
    internal void ApproveInput() => _inputApproved = true;

    private sealed record InjectionScan(InjectionFinding? Finding);

    /// <summary>The run's finished steps as the collusion audit sees them.</summary>
    public CollusionAuditor Collusion => LazyInitializer.EnsureInitialized(ref _collusion, static () => new CollusionAuditor());
}
