using System.Threading.Channels;
using Microsoft.Extensions.AI;

namespace MeshFlow.Dashboard.BrowserTests.Support;

/// <summary>
/// A tool registered with the test's API that waits until the test lets a call through: it keeps a run in flight for
/// as long as a test needs to look at it, with no timing involved. Each <see cref="Release"/> lets one call finish.
/// </summary>
public sealed class HoldTool
{
    public const string Name = "hold";

    private readonly Channel<bool> _passes = Channel.CreateUnbounded<bool>();

    public HoldTool() =>
        Function = AIFunctionFactory.Create(WaitAsync, Name, "Waits until the test lets this call through.");

    /// <summary>The tool as the API registers it.</summary>
    public AIFunction Function { get; }

    /// <summary>Lets one waiting (or the next) call of the tool finish.</summary>
    public void Release() => _passes.Writer.TryWrite(true);

    private async Task<string> WaitAsync(CancellationToken cancellationToken)
    {
        await _passes.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        return "released";
    }
}
