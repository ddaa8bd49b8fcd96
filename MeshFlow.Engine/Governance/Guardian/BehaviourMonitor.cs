using System.Collections.Concurrent;

namespace MeshFlow.Governance.Guardian;

/// <summary>
/// Watches one run's agents for behaviour that wastes the run: repeating themselves, looping without progress, or a
/// step far larger or dearer than the agent's usual.
/// </summary>
/// <remarks>
/// <para>One monitor serves one run. <see cref="Observe"/> is thread-safe: concurrent branches may report at once
/// (each agent's state has its own lock). The monitor decides nothing; a pipeline check turns a finding into a verdict.</para>
/// <para>Per agent, in the order they are reported:</para>
/// <list type="number">
/// <item><term><see cref="BehaviourSignals.RepeatedOutput"/></term><description>The same output (ordinal, after
/// trimming) for the <see cref="BehaviourThresholds.RepeatCount"/>th time in the run, anywhere, and at every later
/// repeat. Outputs are kept as 64-bit hashes of the whole trimmed text, at most 1,024 distinct ones per agent (the
/// oldest is forgotten first).</description></item>
/// <item><term><see cref="BehaviourSignals.StalledLoop"/></term><description>The agent's last
/// <see cref="BehaviourThresholds.StalledPasses"/> outputs, at consecutive iterations (each one more than the last;
/// anything else starts over), are pairwise at least <see cref="BehaviourThresholds.StalledSimilarity"/> alike, and not
/// all identical (that is a repeat). Alike is the Jaccard index of the outputs' sets of adjacent word pairs (words are
/// runs of letters and digits, case folded), over their first 64 Ki characters: linear time and a few hashes per word,
/// kept only for the last passes. One changed word moves a text of <c>n</c> words to about <c>(n − 3) ÷ (n + 1)</c>, so
/// at 0.95 an edit of one word in 80 counts as no change.</description></item>
/// <item><term><see cref="BehaviourSignals.TokenSpike"/></term><description>More than
/// <see cref="BehaviourThresholds.SpikeFactor"/> times the agent's mean tokens, once
/// <see cref="BehaviourThresholds.MinBaseline"/> steps make the mean. A spike is not added to the mean, so a second
/// one is reported too. Steps reporting no tokens (0) are ignored.</description></item>
/// <item><term><see cref="BehaviourSignals.CostSpike"/></term><description>The same for cost, over paid steps only
/// (cost above 0).</description></item>
/// </list>
/// <para>Empty outputs (after trimming) count for neither repeats nor loops, and end a loop's window; their tokens and
/// cost still count.</para>
/// </remarks>
/// <param name="thresholds">When to report; <see cref="BehaviourThresholds.Default"/> if null.</param>
public sealed class BehaviourMonitor(BehaviourThresholds? thresholds = null)
{
    private readonly BehaviourThresholds _thresholds = Validated(thresholds ?? BehaviourThresholds.Default);
    private readonly ConcurrentDictionary<string, BehaviourAgentState> _agents = new(StringComparer.Ordinal);

    /// <summary>Takes in one finished step and returns the first signal it raises, or null.</summary>
    /// <param name="agentKey">Whose behaviour this is: the agent's id, or the node's for steps without one.</param>
    /// <param name="stepId">The step, named in a finding's detail.</param>
    /// <param name="iteration">The step's pass through its node (1 for the first).</param>
    /// <param name="output">The step's output.</param>
    /// <param name="tokens">The tokens the step used; 0 if unknown.</param>
    /// <param name="costUsd">What the step cost; 0 if free or unknown.</param>
    public BehaviourFinding? Observe(string agentKey, string stepId, int iteration, string output, long tokens, decimal costUsd)
    {
        ArgumentNullException.ThrowIfNull(agentKey);
        ArgumentNullException.ThrowIfNull(stepId);
        ArgumentNullException.ThrowIfNull(output);

        // Fingerprints are taken before the agent's lock, so one agent's large output does not hold up its other branches.
        var text = output.AsSpan().Trim();
        ulong? hash = text.IsEmpty ? null : BehaviourText.Hash(text);
        var wordPairs = text.IsEmpty ? null : BehaviourText.WordPairs(text);
        var state = _agents.GetOrAdd(agentKey, static (_, t) => new BehaviourAgentState(t), _thresholds);
        return state.Observe(stepId, iteration, hash, wordPairs, tokens, costUsd);
    }

    private static BehaviourThresholds Validated(BehaviourThresholds thresholds)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(thresholds.RepeatCount, 2, nameof(thresholds));
        ArgumentOutOfRangeException.ThrowIfLessThan(thresholds.StalledPasses, 2, nameof(thresholds));
        ArgumentOutOfRangeException.ThrowIfLessThan(thresholds.MinBaseline, 1, nameof(thresholds));
        if (thresholds.StalledSimilarity is <= 0 or > 1 || double.IsNaN(thresholds.StalledSimilarity))
        {
            throw new ArgumentOutOfRangeException(nameof(thresholds), "StalledSimilarity must be in (0, 1].");
        }

        if (!(thresholds.SpikeFactor > 1))
        {
            throw new ArgumentOutOfRangeException(nameof(thresholds), "SpikeFactor must be more than 1.");
        }

        return thresholds;
    }
}
