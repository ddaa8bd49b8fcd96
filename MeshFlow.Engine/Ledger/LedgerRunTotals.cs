namespace MeshFlow.Ledger;

/// <summary>What a run has spent so far, as its ledger records say: kept current by each append.</summary>
/// <param name="Steps">How many <c>step</c> records the run has (a blocked step and an escalated one count too).</param>
/// <param name="TokensInput">The run_end record's input tokens when the run has one, else the sum over its steps.</param>
/// <param name="TokensOutput">The run_end record's output tokens when the run has one, else the sum over its steps.</param>
/// <param name="CostUsd">The run_end record's cost when the run has one, else the sum over its steps.</param>
/// <remarks>
/// The run_end record carries the run's own totals (which can count what no step record does), so once a run has
/// ended they are the run's; with several run_end records the one with the highest sequence number wins. A store
/// keeps these totals current in the append's transaction; <see cref="From"/> is the same rule over the records. A sum
/// of costs beyond <see cref="decimal"/>'s range stays at its bound, so no append ever fails for its run's totals.
/// </remarks>
public sealed record LedgerRunTotals(int Steps, long TokensInput, long TokensOutput, decimal CostUsd)
{
    /// <summary>A run with no step and no run_end record.</summary>
    public static LedgerRunTotals None { get; } = new(0, 0, 0, 0m);

    /// <summary>Input and output tokens together.</summary>
    public long Tokens => AddTokens(TokensInput, TokensOutput);

    /// <summary>The totals of a run's records (in any order).</summary>
    public static LedgerRunTotals From(IEnumerable<LedgerRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var totals = None;
        long? endSeq = null;
        foreach (var record in records)
        {
            (totals, endSeq) = totals.With(record.Kind, record.Seq, record.TokensInput, record.TokensOutput, record.CostUsd, endSeq);
        }

        return totals;
    }

    /// <summary>
    /// The totals after one more record, given the sequence number of the run_end record they were taken from
    /// (null while none is counted); answers the new totals and that sequence number.
    /// </summary>
    public (LedgerRunTotals Totals, long? EndSeq) With(string kind, long seq, long tokensInput, long tokensOutput, decimal costUsd, long? endSeq)
    {
        var isStep = string.Equals(kind, LedgerRecordKinds.Step, StringComparison.Ordinal);
        var steps = Steps + (isStep ? 1 : 0);
        if (string.Equals(kind, LedgerRecordKinds.RunEnd, StringComparison.Ordinal))
        {
            return endSeq is { } known && known > seq
                ? (this with { Steps = steps }, endSeq)
                : (new LedgerRunTotals(steps, tokensInput, tokensOutput, costUsd), seq);
        }

        return isStep && endSeq is null
            ? (new LedgerRunTotals(steps, AddTokens(TokensInput, tokensInput), AddTokens(TokensOutput, tokensOutput), AddCost(CostUsd, costUsd)), null)
            : (this with { Steps = steps }, endSeq);
    }

    // Saturates rather than wrapping: an unchecked long sum of absurd recorded counts would turn into a negative total.
    private static long AddTokens(long a, long b)
    {
        var sum = unchecked(a + b);
        // Overflow happened when both operands share a sign that the sum does not.
        return ((a ^ sum) & (b ^ sum)) < 0 ? (a > 0 ? long.MaxValue : long.MinValue) : sum;
    }

    // Saturates rather than throwing: a summary must never make an append fail, however absurd the recorded costs.
    private static decimal AddCost(decimal a, decimal b)
    {
        try
        {
            return a + b;
        }
        catch (OverflowException)
        {
            return a > 0 ? decimal.MaxValue : decimal.MinValue;
        }
    }
}
