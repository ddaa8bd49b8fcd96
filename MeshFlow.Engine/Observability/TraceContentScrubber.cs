using System.Diagnostics;
using MeshFlow.Governance.Guardian;
using MeshFlow.Privacy;
using OpenTelemetry;

namespace MeshFlow.Observability;

/// <summary>
/// Cleans the prompt and completion content that model and tool spans carry when <c>MESHFLOW_TRACE_CONTENT</c> is on:
/// secrets (the guardian's key formats and the deployment's configured secret values) are stripped, then protected
/// health information is scrubbed, before any exporter reads the span.
/// </summary>
/// <remarks>
/// It must run before the exporters' processors: the service defaults add the processors registered in the host's
/// services (this one, by <c>AddMeshFlowEngine</c>) ahead of the OTLP exporter. Only MeshFlow's own spans are touched,
/// and only the GenAI content tags (<see cref="GenAiTags.ContentTags"/>); with content capture off they are absent.
/// </remarks>
public sealed class TraceContentScrubber : BaseProcessor<Activity>
{
    private readonly Lazy<LeakScanner> _leaks;

    /// <summary>Creates a scrubber that also strips <paramref name="secrets"/>, read when the first content is cleaned.</summary>
    public TraceContentScrubber(Func<IEnumerable<string>>? secrets = null) =>
        _leaks = new Lazy<LeakScanner>(() => new LeakScanner(secrets?.Invoke()));

    /// <summary>The text as a span may carry it: secrets stripped, then PHI scrubbed.</summary>
    public string Clean(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return PhiScrubber.Scrub(_leaks.Value.Strip(text, out _));
    }

    /// <inheritdoc />
    public override void OnEnd(Activity data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Source.Name != MeshFlowTelemetry.Name)
        {
            return;
        }

        foreach (var tag in GenAiTags.ContentTags)
        {
            if (data.GetTagItem(tag) is { } value)
            {
                // Content that is not text (a tag set to an object) is dropped rather than exported unread.
                data.SetTag(tag, value is string text ? Clean(text) : null);
            }
        }
    }
}
