namespace MeshFlow.Governance.Uncertainty;

/// <summary>Scores how unsure an agent step's output is, in [0, 1], from token log-probabilities or from its text.</summary>
/// <remarks>
/// <para>The scale, the same for both sources:</para>
/// <list type="table">
/// <listheader><term>Score</term><description>Meaning</description></listheader>
/// <item><term>below 0.3</term><description>Confident: plain text with no signal (the text heuristic gives 0.1), or tokens the model was sure of.</description></item>
/// <item><term>0.4 to 0.8</term><description>Hedging: the more hedges per sentence, the higher.</description></item>
/// <item><term>0.7</term><description>Empty output.</description></item>
/// <item><term>0.75</term><description>Contradiction: the output reverses the step's previous output in a loop, or itself.</description></item>
/// <item><term>0.85 and above</term><description>Refusal (0.9).</description></item>
/// </list>
/// <para>
/// When several signals fire, the score is the strongest one's plus 0.05 for each other, capped at 1. A score above
/// the policy's uncertainty threshold escalates the step to a person; the estimator itself decides nothing.
/// </para>
/// <para>
/// <b>From text</b> (<see cref="FromText"/>): case-insensitive phrase lists (words one space apart), matched by
/// vectorized hint searches and source-generated regular expressions over the output, without allocating. Hedges: I think / believe / guess / suppose / assume, probably,
/// possibly, perhaps, maybe, presumably, (un)likely, might, unclear, uncertain, not (entirely) sure / certain,
/// I'm not confident, it is possible, hard to say, as far as I know, to my knowledge, if I recall correctly, may or may
/// not, it seems / appears to, my best guess, can't be sure. A hedged answer scores
/// <c>min(0.8, 0.4 + 0.25 × min(1, hedges ÷ sentences) + 0.05 × (hedges − 1))</c>: one hedge in a one-sentence answer
/// is 0.65, one in a four-sentence answer 0.46. Refusals: I can't / cannot, I'm unable to, I'm not able to, I won't /
/// will not, I must decline, I don't have access, as an AI, against my guidelines. Contradiction: against
/// <c>previousOutput</c>, a leading yes/no (or the first verdict word: approved/rejected, true/false, valid/invalid,
/// compliant, enforceable, passed/failed..., with "not" in front flipping it) on the other side, or, when both are short
/// answers (at most 280 characters) and neither takes a stance, a different first number; and in the output alone,
/// reversal phrases ("Actually, " at a sentence start, "I was wrong", "correction:", "I made a mistake", "on second
/// thought", "scratch that", "I stand corrected").
/// </para>
/// <para>
/// <b>From log-probabilities</b> (<see cref="FromLogProbabilities"/>): with <c>p̄ = exp(mean log p)</c>, the geometric
/// mean probability of the sampled tokens, and <c>low</c> the share of tokens sampled with probability below 0.5, the
/// score is <c>0.6 × (1 − p̄) + 0.4 × low</c>. The first term is the average surprise; the second keeps a few
/// near-coin-flip tokens (a wrong digit, a flipped "not") from being averaged away by many certain ones. Certain
/// tokens score 0; tokens at log p = −5 score about 1.
/// </para>
/// <para>All members are static, thread-safe and allocate nothing.</para>
/// </remarks>
public static class UncertaintyEstimator
{
    private const double Confident = 0.1;
    private const double Refusal = 0.9;
    private const double Contradiction = 0.75;
    private const double Empty = 0.7;
    private const double PerExtraSignal = 0.05;

    // A token sampled with probability below one half was close to a coin flip.
    private static readonly double s_lowConfidence = Math.Log(0.5);

    /// <summary>The uncertainty of an output from its tokens' log-probabilities (natural log, at most 0).</summary>
    /// <remarks>
    /// NaN entries are skipped and positive ones read as 0. With no tokens there is no evidence either way: the score
    /// is 0.5 with no signal, and a caller should prefer <see cref="FromText"/>.
    /// </remarks>
    public static UncertaintyEstimate FromLogProbabilities(ReadOnlySpan<double> tokenLogProbs)
    {
        double sum = 0;
        int count = 0, low = 0;
        foreach (var logProb in tokenLogProbs)
        {
            if (double.IsNaN(logProb))
            {
                continue;
            }

            var clamped = Math.Min(logProb, 0);
            sum += clamped;
            count++;
            if (clamped < s_lowConfidence)
            {
                low++;
            }
        }

        if (count == 0)
        {
            return new(0.5, UncertaintySources.LogProbs, SignalSets.Of(0));
        }

        var lowShare = (double)low / count;
        var score = Math.Clamp((0.6 * (1 - Math.Exp(sum / count))) + (0.4 * lowShare), 0, 1);
        var flags = lowShare > 0.2 ? SignalSets.LowConfidenceTokens : 0;
        return new(score, UncertaintySources.LogProbs, SignalSets.Of(flags));
    }

    /// <summary>The uncertainty of an output from its text, and from the step's previous output in a loop.</summary>
    /// <param name="output">The step's output.</param>
    /// <param name="previousOutput">The same step's output in the previous loop iteration, or null.</param>
    public static UncertaintyEstimate FromText(string output, string? previousOutput)
    {
        ArgumentNullException.ThrowIfNull(output);
        var text = output.AsSpan().Trim();
        if (text.IsEmpty)
        {
            return new(Empty, UncertaintySources.Heuristic, SignalSets.Of(SignalSets.Empty));
        }

        var flags = 0;
        var score = Confident;
        var hedges = UncertaintyPatterns.CountHedges(text);
        if (hedges > 0)
        {
            flags |= SignalSets.Hedging;
            var density = Math.Min(1, (double)hedges / Sentences(text));
            score = Math.Min(0.8, 0.4 + (0.25 * density) + (PerExtraSignal * (hedges - 1)));
        }

        if (UncertaintyPatterns.Refuses(text))
        {
            flags |= SignalSets.Refusal;
            score = Math.Max(score, Refusal);
        }

        if (UncertaintyPatterns.Reverses(text)
            || (previousOutput is not null && Contradictions.Between(previousOutput.AsSpan().Trim(), text)))
        {
            flags |= SignalSets.Contradiction;
            score = Math.Max(score, Contradiction);
        }

        return new(WithExtraSignals(score, flags), UncertaintySources.Heuristic, SignalSets.Of(flags));
    }

    /// <summary>
    /// One estimate from both sources: the log-probability estimate, raised to the text estimate when the text shows
    /// a signal (a model refuses or hedges with confident tokens). Without log-probabilities, <see cref="FromText"/>.
    /// </summary>
    public static UncertaintyEstimate Estimate(string output, string? previousOutput, ReadOnlySpan<double> tokenLogProbs)
    {
        var text = FromText(output, previousOutput);
        if (tokenLogProbs.IsEmpty)
        {
            return text;
        }

        var tokens = FromLogProbabilities(tokenLogProbs);
        var textFlags = Flags(text.Signals);
        if (textFlags == 0 || tokens.Score >= text.Score)
        {
            return new(tokens.Score, UncertaintySources.LogProbs, SignalSets.Of(Flags(tokens.Signals) | textFlags));
        }

        var flags = textFlags | Flags(tokens.Signals);
        return new(WithExtraSignals(Math.Max(text.Score, tokens.Score), flags), UncertaintySources.Heuristic, SignalSets.Of(flags));
    }

    private static double WithExtraSignals(double score, int flags) =>
        Math.Min(1, score + (PerExtraSignal * Math.Max(0, SignalSets.Count(flags) - 1)));

    private static int Flags(IReadOnlyList<string> signals)
    {
        var flags = 0;
        for (var i = 0; i < signals.Count; i++)
        {
            flags |= signals[i] switch
            {
                UncertaintySignals.Hedging => SignalSets.Hedging,
                UncertaintySignals.Refusal => SignalSets.Refusal,
                UncertaintySignals.Contradiction => SignalSets.Contradiction,
                UncertaintySignals.Empty => SignalSets.Empty,
                UncertaintySignals.LowConfidenceTokens => SignalSets.LowConfidenceTokens,
                _ => 0,
            };
        }

        return flags;
    }

    // Sentence ends (. ! ? before a space or the end, so "3.5" is one number) and line breaks after unended lines.
    private static int Sentences(ReadOnlySpan<char> text)
    {
        var sentences = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '.' or '!' or '?' && (i + 1 == text.Length || char.IsWhiteSpace(text[i + 1])))
            {
                sentences++;
            }
            else if (c == '\n' && i > 0 && text[i - 1] is not ('.' or '!' or '?' or '\n' or '\r'))
            {
                sentences++;
            }
        }

        return Math.Max(1, sentences + (text[^1] is '.' or '!' or '?' ? 0 : 1));
    }
}
