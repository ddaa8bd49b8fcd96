using MeshFlow.Events;
using MeshFlow.Runtime;

namespace MeshFlow.Tests.Runtime;

public sealed class TokenDeltaCoalescerTests
{
    private static TokenDeltaEvent Delta(string step, string text) => new() { RunId = "r", StepId = step, Text = text };

    [Fact]
    public void Consecutive_deltas_of_one_step_merge_into_their_concatenation_keeping_order_and_the_first_timestamp()
    {
        var first = Delta("a:1", "Hel") with { Timestamp = DateTimeOffset.UnixEpoch };
        MeshEvent[] batch =
        [
            new StepStartEvent { RunId = "r", StepId = "a:1" }, first, Delta("a:1", "lo"), Delta("a:1", "!"),
            new StepEndEvent { RunId = "r", StepId = "a:1", Output = "Hello!" }, Delta("b:1", "x"), Delta("c:1", "y"), Delta("c:1", "z"),
        ];

        var merged = TokenDeltaCoalescer.Coalesce(batch);

        Assert.Equal(["step_start", "token_delta", "step_end", "token_delta", "token_delta"], merged.Select(e => e.Kind));
        var hello = Assert.IsType<TokenDeltaEvent>(merged[1]);
        Assert.Equal(("Hello!", DateTimeOffset.UnixEpoch), (hello.Text, hello.Timestamp));
        Assert.Equal(["x", "yz"], merged.OfType<TokenDeltaEvent>().Skip(1).Select(d => d.Text));
    }

    [Fact]
    public void A_batch_with_nothing_to_merge_is_returned_as_is()
    {
        MeshEvent[] batch = [Delta("a:1", "x"), new StepEndEvent { RunId = "r", StepId = "a:1", Output = "x" }, Delta("b:1", "y")];

        Assert.Same(batch, TokenDeltaCoalescer.Coalesce(batch));
    }
}
