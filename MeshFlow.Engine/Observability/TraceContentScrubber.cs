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
/// services (this one, by <c>AddMeshFlowEngine</c>, whether content capture is on or off) ahead of the OTLP exporter.
/// Only MeshFlow's own spans are touched: the GenAI content tags (<see cref="GenAiTags.ContentTags"/>), absent with
/// content capture off, and a failed span's status description and exception events, which carry an exception's
/// message whatever the setting (Microsoft.Extensions.AI sets the description to it), and a provider's message may
/// quote the prompt or a masked key. With content off the description becomes the error's type; with content on it
/// is cleaned like the content. Exception events are not changed: an event's tags cannot be edited once it is added.
/// </remarks>
public sealed class TraceContentScrubber : BaseProcessor<Activity>
{
    private const string ErrorType = "error.type";
    private const string ExceptionEvent = "exception";
    private const string ExceptionType = "exception.type";

    private readonly Lazy<LeakScanner> _leaks;
    private readonly bool _content;

    /// <summary>
    /// Creates a scrubber that also strips <paramref name="secrets"/>, read when the first content is cleaned.
    /// <paramref name="content"/> is whether content capture is on: off, error texts are replaced rather than cleaned.
    /// </summary>
    public TraceContentScrubber(Func<IEnumerable<string>>? secrets = null, bool content = false)
    {
        _leaks = new Lazy<LeakScanner>(() => new LeakScanner(secrets?.Invoke()));
        _content = content;
    }

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

        if (data.Status == ActivityStatusCode.Error)
        {
            CleanError(data);
        }
    }

    private void CleanError(Activity data)
    {
        var exceptionType = ExceptionTypeOf(data);
        if (data.StatusDescription is { } description)
        {
            // Off: the type names the failure without quoting anything. A description with no type to stand for it
            // (the run's error) is dropped; the span's own tags (meshflow.status, the webhook outcome) still say why.
            data.SetStatus(ActivityStatusCode.Error, _content ? Clean(description) : data.GetTagItem(ErrorType) as string ?? exceptionType);
        }
    }

    private static string? ExceptionTypeOf(Activity data)
    {
        foreach (var evt in data.Events)
        {
            if (evt.Name == ExceptionEvent && evt.Tags.FirstOrDefault(t => t.Key == ExceptionType).Value is string type)
            {
                return type;
            }
        }

        return null;
    }
}
