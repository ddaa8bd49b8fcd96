using System.Text;

namespace MeshFlow.AppHost.Tests.Support;

/// <summary>Stands in for the AppHost's stdout: completes <see cref="Printed"/> with the first banner written to it.</summary>
internal sealed class BannerCapture : TextWriter
{
    private readonly TaskCompletionSource<string> _printed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<string> Printed => _printed.Task;

    public override Encoding Encoding => Encoding.UTF8;

    // The banner is written in one piece.
    public override void Write(string? value)
    {
        if (value is not null)
        {
            _printed.TrySetResult(value);
        }
    }
}
