using System.Globalization;

namespace MeshFlow.Governance.Guardian;

/// <summary>What a <see cref="BehaviourMonitor"/> remembers of one agent: hashes, a few fingerprints and two means.</summary>
internal sealed class BehaviourAgentState(BehaviourThresholds thresholds)
{
    /// <summary>Distinct outputs counted per agent; past this, the oldest one is forgotten.</summary>
    public const int MaxDistinctOutputs = 1024;

    private readonly Lock _gate = new();
    private readonly Dictionary<ulong, Seen> _seen = [];
    private readonly Queue<ulong> _seenOrder = new();
    private readonly Queue<Pass> _passes = new();
    private long _tokenSum;
    private int _tokenSteps;
    private decimal _costSum;
    private int _costSteps;

    public BehaviourFinding? Observe(string stepId, int iteration, ulong? hash, ulong[]? wordPairs, long tokens, decimal costUsd)
    {
        lock (_gate)
        {
            // Every signal updates its state, so the one reported does not keep the others' baselines behind.
            var repeated = hash is { } h ? Repeated(h, stepId) : null;
            var stalled = hash is { } s && wordPairs is not null ? Stalled(new(stepId, iteration, s, wordPairs)) : ClearPasses();
            var tokenSpike = TokenSpike(stepId, tokens);
            var costSpike = CostSpike(stepId, costUsd);
            return repeated ?? stalled ?? tokenSpike ?? costSpike;
        }
    }

    private BehaviourFinding? Repeated(ulong hash, string stepId)
    {
        if (_seen.TryGetValue(hash, out var seen))
        {
            seen = seen with { Count = seen.Count + 1 };
        }
        else
        {
            if (_seenOrder.Count == MaxDistinctOutputs)
            {
                _seen.Remove(_seenOrder.Dequeue());
            }

            _seenOrder.Enqueue(hash);
            seen = new(stepId, 1);
        }

        _seen[hash] = seen;
        return seen.Count < thresholds.RepeatCount ? null : new(
            BehaviourSignals.RepeatedOutput,
            Invariant($"step {stepId} gives the same output as step {seen.FirstStepId}, {seen.Count} times in all (threshold {thresholds.RepeatCount})"));
    }

    private BehaviourFinding? Stalled(Pass pass)
    {
        // A pass that does not follow the previous one (another loop entry, a concurrent branch) starts a new window.
        if (_passes.Count > 0 && _passes.Last().Iteration + 1 != pass.Iteration)
        {
            _passes.Clear();
        }

        _passes.Enqueue(pass);
        if (_passes.Count > thresholds.StalledPasses)
        {
            _passes.Dequeue();
        }

        if (_passes.Count < thresholds.StalledPasses)
        {
            return null;
        }

        var window = _passes.ToArray();
        var lowest = 1.0;
        var allIdentical = true;
        for (var i = 0; i < window.Length; i++)
        {
            for (var j = i + 1; j < window.Length; j++)
            {
                lowest = Math.Min(lowest, WordShingles.Jaccard(window[i].WordPairs, window[j].WordPairs));
                allIdentical &= window[i].Hash == window[j].Hash;
            }
        }

        if (allIdentical || lowest < thresholds.StalledSimilarity)
        {
            return null;
        }

        var steps = string.Join(", ", window.Select(p => p.StepId));
        return new(
            BehaviourSignals.StalledLoop,
            Invariant($"steps {steps}: {window.Length} consecutive passes at least {lowest:0.000} alike (word-pair Jaccard, threshold {thresholds.StalledSimilarity:0.###})"));
    }

    private BehaviourFinding? ClearPasses()
    {
        _passes.Clear();
        return null;
    }

    private BehaviourFinding? TokenSpike(string stepId, long tokens)
    {
        // Zero means the provider reported no usage; it is no evidence of a small step.
        if (tokens <= 0)
        {
            return null;
        }

        if (_tokenSteps >= thresholds.MinBaseline)
        {
            var mean = (double)_tokenSum / _tokenSteps;
            if (tokens > thresholds.SpikeFactor * mean)
            {
                return new(
                    BehaviourSignals.TokenSpike,
                    Invariant($"step {stepId} used {tokens} tokens, {tokens / mean:0.0} times the agent's mean of {mean:0} over {_tokenSteps} steps"));
            }
        }

        _tokenSum += tokens;
        _tokenSteps++;
        return null;
    }

    private BehaviourFinding? CostSpike(string stepId, decimal costUsd)
    {
        // Free steps (local models, cache hits) are not a baseline for paid ones.
        if (costUsd <= 0)
        {
            return null;
        }

        if (_costSteps >= thresholds.MinBaseline)
        {
            var mean = _costSum / _costSteps;
            if (costUsd > (decimal)thresholds.SpikeFactor * mean)
            {
                return new(
                    BehaviourSignals.CostSpike,
                    Invariant($"step {stepId} cost {costUsd:0.######} USD, {costUsd / mean:0.0} times the agent's mean of {mean:0.######} USD over {_costSteps} paid steps"));
            }
        }

        _costSum += costUsd;
        _costSteps++;
        return null;
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

    private readonly record struct Seen(string FirstStepId, int Count);

    private sealed record Pass(string StepId, int Iteration, ulong Hash, ulong[] WordPairs);
}
