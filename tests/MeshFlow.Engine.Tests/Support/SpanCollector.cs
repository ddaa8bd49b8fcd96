using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using MeshFlow.Observability;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace MeshFlow.Tests.Support;

/// <summary>
/// An OpenTelemetry tracer provider over MeshFlow's source that keeps the spans of one trace: the test's own root
/// span, current while the test runs, so spans of tests running alongside are left out.
/// </summary>
internal sealed class SpanCollector : IDisposable
{
    private static readonly ActivitySource Tests = new("MeshFlow.Tests.Traces");

    private readonly ConcurrentQueue<Activity> _ended = new();
    private readonly TracerProvider _provider;
    private readonly Activity _root;

    /// <param name="first">A processor that runs before the spans are kept (as the service defaults run the scrubber before the exporter).</param>
    public SpanCollector(BaseProcessor<Activity>? first = null)
    {
        var builder = Sdk.CreateTracerProviderBuilder().AddSource(MeshFlowTelemetry.Name, Tests.Name);
        if (first is not null)
        {
            builder.AddProcessor(first);
        }

        _provider = builder.AddProcessor(new Keep(_ended)).Build()!;
        _root = Tests.StartActivity("test") ?? throw new InvalidOperationException("the test source is not sampled");
    }

    public ActivityTraceId TraceId => _root.TraceId;

    /// <summary>The ended MeshFlow spans of this test's trace.</summary>
    public IReadOnlyList<Activity> Spans => [.. _ended.Where(a => a.TraceId == TraceId && a.Source.Name == MeshFlowTelemetry.Name)];

    public IReadOnlyList<Activity> Named(string name) => [.. Spans.Where(a => a.DisplayName == name)];

    /// <summary>Every span's name, status, tags and events as one text, for asserting what no span holds.</summary>
    public string Text()
    {
        var text = new StringBuilder();
        foreach (var span in Spans)
        {
            text.Append(span.DisplayName).Append(' ').Append(span.StatusDescription).Append('\n');
            foreach (var tag in span.TagObjects)
            {
                text.Append(tag.Key).Append('=').Append(tag.Value).Append('\n');
            }

            foreach (var evt in span.Events)
            {
                text.Append(evt.Name).Append(' ').AppendJoin(' ', evt.Tags.Select(t => $"{t.Key}={t.Value}")).Append('\n');
            }
        }

        return text.ToString();
    }

    public void Dispose()
    {
        _root.Dispose();
        _provider.Dispose();
    }

    private sealed class Keep(ConcurrentQueue<Activity> ended) : BaseProcessor<Activity>
    {
        public override void OnEnd(Activity data) => ended.Enqueue(data);
    }
}
