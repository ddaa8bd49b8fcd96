using System.Diagnostics;
using System.Text;
using System.Text.Json;
using MeshFlow.Tests.Support;

namespace MeshFlow.Tests.Agents.Providers;

/// <summary>
/// Where a provider's key must never be: the spans exported while it lives, and a run's events, error and ledger
/// records, gathered as one text to search.
/// </summary>
internal sealed class ProviderRunSinks : IDisposable
{
    private readonly StringBuilder _spans = new();
    private readonly ActivityListener _listener;

    public ProviderRunSinks()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = _ => true,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                lock (_spans)
                {
                    _spans.Append(activity.DisplayName).Append(' ').Append(activity.StatusDescription).Append('\n');
                    foreach (var tag in activity.TagObjects)
                    {
                        _spans.Append(tag.Key).Append('=').Append(tag.Value).Append('\n');
                    }

                    foreach (var evt in activity.Events)
                    {
                        _spans.Append(evt.Name).Append(' ').AppendJoin(' ', evt.Tags.Select(t => $"{t.Key}={t.Value}")).Append('\n');
                    }
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public async Task<string> TextAsync(RunCapture capture, TestLedger ledger)
    {
        var text = new StringBuilder();
        lock (_spans)
        {
            text.Append(_spans);
        }

        text.AppendJoin('\n', capture.Events.Select(e => JsonSerializer.Serialize(e))).Append('\n');
        text.Append(JsonSerializer.Serialize(capture.Result)).Append('\n');
        foreach (var record in await ledger.Store.ReadRecordsAsync("default", capture.Result.RunId))
        {
            text.Append(record.Payload).Append('\n');
        }

        return text.ToString();
    }

    public void Dispose() => _listener.Dispose();
}
