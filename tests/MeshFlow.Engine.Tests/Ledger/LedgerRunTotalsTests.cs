using MeshFlow.Ledger;

namespace MeshFlow.Tests.Ledger;

/// <summary>The run summary's token sums saturate near <see cref="long.MaxValue"/> rather than wrapping negative.</summary>
public sealed class LedgerRunTotalsTests
{
    [Fact]
    public void Step_token_sums_saturate_at_long_MaxValue()
    {
        var totals = new LedgerRunTotals(1, long.MaxValue - 5, long.MaxValue - 1, 0m);

        var (next, endSeq) = totals.With(LedgerRecordKinds.Step, 2, 10, 10, 0m, null);

        Assert.Null(endSeq);
        Assert.Equal(2, next.Steps);
        Assert.Equal(long.MaxValue, next.TokensInput);
        Assert.Equal(long.MaxValue, next.TokensOutput);
    }

    [Fact]
    public void The_total_of_input_and_output_saturates_at_long_MaxValue()
    {
        var totals = new LedgerRunTotals(1, long.MaxValue - 5, 100, 0m);

        Assert.Equal(long.MaxValue, totals.Tokens);
    }

    [Fact]
    public void Sums_that_fit_are_exact()
    {
        var (next, _) = new LedgerRunTotals(1, 40, 2, 0m).With(LedgerRecordKinds.Step, 2, 2, 40, 0m, null);

        Assert.Equal(42, next.TokensInput);
        Assert.Equal(42, next.TokensOutput);
        Assert.Equal(84, next.Tokens);
    }
}
