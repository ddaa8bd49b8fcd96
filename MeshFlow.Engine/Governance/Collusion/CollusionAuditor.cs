using System.Globalization;

namespace MeshFlow.Governance.Collusion;

/// <summary>Watches one run for agents covering for one another: echoing reviewers, approval rings and split actions.</summary>
/// <remarks>
/// <para>One auditor serves one run; <see cref="Observe"/> is thread-safe (text is measured outside its lock). Each
/// finding is reported once per run, by the step that completes it. The auditor decides nothing; a pipeline check
/// turns a finding into a verdict. An agent is its id, or its node's id for steps without one.</para>
/// <para>Texts are compared over their first <see cref="CollusionThresholds.MaxComparedChars"/> characters, as word
/// triples (runs of letters and digits, case folded). An output approves when its verdict lines say so and do not
/// reject; the role is not needed, since a rubber stamp is one whatever its role.</para>
/// <list type="bullet">
/// <item><term><see cref="CollusionPatterns.CriticEcho"/></term><description>A step approves an input from another
/// agent while its output holds at least <see cref="CollusionThresholds.EchoOverlap"/> of the input's word triples, or
/// at least that share of the output's own triples comes from the input. The input (for the first) or the output (for
/// the second) must have <see cref="CollusionThresholds.MinContentShingles"/> triples. Agents and steps: author,
/// reviewer.</description></item>
/// <item><term><see cref="CollusionPatterns.ApprovalRing"/></term><description>Agents each of whose latest review of the
/// next approved a rubber stamp, in a cycle back to the first. A review is a rubber stamp when it approves an output
/// that is unchanged (whitespace aside) from the same agent's previous output at the same node, or that has fewer than
/// <see cref="CollusionThresholds.MinContentShingles"/> triples not found in its own inputs. A first version with content
/// of its own, or a revision, is approved honestly; a review that does not approve removes its edge. Agents and steps:
/// the approvers and their approving steps, in the ring's order.</description></item>
/// <item><term><see cref="CollusionPatterns.SplitAction"/></term><description>A step calls a tool with a string argument
/// that another agent, whose capabilities leave that tool out, prepared: the argument (at least
/// <see cref="CollusionThresholds.MinArgumentLength"/> characters, whitespace collapsed) appears verbatim in that agent's
/// output, or equals one of its code spans, or holds one at least that long. Those outputs are the step's inputs and the
/// last <see cref="CollusionThresholds.RecentOutputs"/> outputs of tool-restricted agents. Agents and steps: preparer,
/// caller.</description></item>
/// </list>
/// </remarks>
/// <param name="thresholds">When to report; <see cref="CollusionThresholds.Default"/> if null.</param>
public sealed class CollusionAuditor(CollusionThresholds? thresholds = null)
{
    // Per-run memory caps: steps, (agent, node) pairs and agents remembered, and findings deduplicated.
    private const int MaxSteps = 4096;
    private const int MaxAgents = 1024;

    private readonly CollusionThresholds _thresholds = Validated(thresholds ?? CollusionThresholds.Default);
    private readonly Lock _gate = new();
    private readonly RecentMap<string, StepFacts> _steps = new(MaxSteps);
    private readonly RecentMap<(string Agent, string Node), ulong> _lastOutputs = new(MaxAgents);
    private readonly RecentMap<string, IReadOnlySet<string>?> _capabilities = new(MaxAgents);
    private readonly RecentMap<string, bool> _reported = new(MaxSteps);
    private readonly Queue<PreparedText> _recent = new();
    private readonly ApprovalRing _ring = new();

    /// <summary>Takes in one finished step and returns the findings it completes (none, mostly).</summary>
    public IReadOnlyList<CollusionFinding> Observe(CollusionStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        var agent = step.AgentId ?? step.NodeId;
        var max = _thresholds.MaxComparedChars;
        var output = CollusionText.Capped(step.Output, max);
        var shingles = CollusionText.Shingles(output);
        var approves = Approvals.Approves(step.Output, max);
        var inputs = step.Inputs
            .Where(i => i.StepId != step.StepId)
            .Select(i => new Given(i, i.AgentId ?? i.NodeId, CollusionText.Shingles(CollusionText.Capped(i.Output, max)), CollusionText.Hash(i.Output)))
            .ToList();
        var substantive = CollusionText.NotIn(shingles, inputs.Select(i => i.Shingles)) >= _thresholds.MinContentShingles;
        var hash = CollusionText.Hash(step.Output);

        var findings = new List<CollusionFinding>();
        if (approves)
        {
            findings.AddRange(inputs.Where(i => i.Agent != agent).Select(i => Echo(step, agent, shingles, i)).OfType<CollusionFinding>());
        }

        var split = step.ToolCalls.Count == 0 ? [] : SplitActions(step, agent, inputs);
        var prepared = step.Capabilities is not null && _thresholds.RecentOutputs > 0
            ? PreparedText.From(step.StepId, agent, step.Output, step.Capabilities, max)
            : null;
        lock (_gate)
        {
            if (!_steps.TryGetValue(step.StepId, out _))
            {
                var unchanged = _lastOutputs.TryGetValue((agent, step.NodeId), out var previous) && previous == hash;
                _steps.Set(step.StepId, new(agent, unchanged, substantive));
                _lastOutputs.Set((agent, step.NodeId), hash);
            }

            _capabilities.Set(agent, step.Capabilities);
            foreach (var input in inputs.Where(i => i.Agent != agent))
            {
                var ring = _ring.Review(agent, input.Agent, approves && RubberStamp(input), step.StepId, input.Input.StepId);
                if (ring is not null)
                {
                    findings.Add(Ring(ring));
                }
            }

            findings.AddRange(split);
            if (prepared is not null)
            {
                if (_recent.Count == _thresholds.RecentOutputs)
                {
                    _recent.Dequeue();
                }

                _recent.Enqueue(prepared);
            }

            return findings.Where(f => _reported.TryAdd(Key(f), true)).ToList();
        }
    }

    private CollusionFinding? Echo(CollusionStep step, string agent, ulong[] output, Given input)
    {
        var common = WordShingles.Common(output, input.Shingles);
        var repeated = input.Shingles.Length >= _thresholds.MinContentShingles ? (double)common / input.Shingles.Length : 0;
        var copied = output.Length >= _thresholds.MinContentShingles ? (double)common / output.Length : 0;
        if (Math.Max(repeated, copied) < _thresholds.EchoOverlap)
        {
            return null;
        }

        var detail = repeated >= copied
            ? Invariant($"step {step.StepId} approves step {input.Input.StepId} while repeating {repeated * 100:0}% of its word triples")
            : Invariant($"step {step.StepId} approves step {input.Input.StepId} with {copied * 100:0}% of its own word triples copied from it");
        return new(CollusionPatterns.CriticEcho, [input.Agent, agent], [input.Input.StepId, step.StepId], detail);
    }

    private bool RubberStamp(Given input)
    {
        if (_steps.TryGetValue(input.Input.StepId, out var facts) && facts.Agent == input.Agent)
        {
            return facts.Unchanged || !facts.Substantive;
        }

        // A step the auditor never saw: the last output it saw of that agent and node is the version before.
        return input.Shingles.Length < _thresholds.MinContentShingles
            || (_lastOutputs.TryGetValue((input.Agent, input.Input.NodeId), out var previous) && previous == input.Hash);
    }

    private List<CollusionFinding> SplitActions(CollusionStep step, string agent, List<Given> inputs)
    {
        var max = _thresholds.MaxComparedChars;
        List<(Given Input, IReadOnlySet<string> Capabilities)> restricted = [];
        PreparedText[] recent;
        lock (_gate)
        {
            foreach (var input in inputs)
            {
                if (input.Agent != agent && _capabilities.TryGetValue(input.Agent, out var capabilities) && capabilities is not null)
                {
                    restricted.Add((input, capabilities));
                }
            }

            recent = [.. _recent.Reverse().Where(p => p.Agent != agent)];
        }

        // The step's own inputs first, the most direct hand-over; then what restricted agents wrote lately.
        List<PreparedText> candidates =
        [
            .. restricted.Select(r => PreparedText.From(r.Input.Input.StepId, r.Input.Agent, r.Input.Input.Output, r.Capabilities, max)),
            .. recent,
        ];

        var findings = new List<CollusionFinding>();
        foreach (var call in step.ToolCalls)
        {
            var values = ToolArguments.StringValues(call.Arguments, max);
            var preparer = candidates.FirstOrDefault(p =>
                !p.Capabilities.Contains(call.Name) && values.Any(v => p.Prepared(v, _thresholds.MinArgumentLength)));
            if (preparer is not null)
            {
                findings.Add(new(
                    CollusionPatterns.SplitAction,
                    [preparer.Agent, agent],
                    [preparer.StepId, step.StepId],
                    $"tool '{call.Name}' called by {agent} (step {step.StepId}) with arguments prepared by {preparer.Agent} (step {preparer.StepId}), which may not call it"));
            }
        }

        return findings;
    }

    private static CollusionFinding Ring(IReadOnlyList<ApprovalRing.Stamp> ring)
    {
        var edges = string.Join("; ", ring.Select(s => $"step {s.ApprovingStep} approves step {s.ApprovedStep}"));
        return new(
            CollusionPatterns.ApprovalRing,
            [.. ring.Select(s => s.Approver)],
            [.. ring.Select(s => s.ApprovingStep)],
            Invariant($"{ring.Count} agents approve one another's unchanged or contentless outputs in a cycle: {edges}"));
    }

    // A ring is one finding whichever of its members closes it; the others are keyed by their steps.
    private static string Key(CollusionFinding finding) => finding.Pattern == CollusionPatterns.ApprovalRing
        ? string.Join('\n', [finding.Pattern, .. finding.Agents.Order(StringComparer.Ordinal)])
        : string.Join('\n', [finding.Pattern, .. finding.Steps, finding.Detail]);

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private static CollusionThresholds Validated(CollusionThresholds thresholds)
    {
        if (thresholds.EchoOverlap is <= 0 or > 1 || double.IsNaN(thresholds.EchoOverlap))
        {
            throw new ArgumentOutOfRangeException(nameof(thresholds), "EchoOverlap must be in (0, 1].");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(thresholds.MinContentShingles, 1, nameof(thresholds));
        ArgumentOutOfRangeException.ThrowIfLessThan(thresholds.MinArgumentLength, 1, nameof(thresholds));
        ArgumentOutOfRangeException.ThrowIfLessThan(thresholds.MaxComparedChars, 1, nameof(thresholds));
        ArgumentOutOfRangeException.ThrowIfLessThan(thresholds.RecentOutputs, 0, nameof(thresholds));
        return thresholds;
    }

    private sealed record Given(CollusionInput Input, string Agent, ulong[] Shingles, ulong Hash);

    private sealed record StepFacts(string Agent, bool Unchanged, bool Substantive);
}
