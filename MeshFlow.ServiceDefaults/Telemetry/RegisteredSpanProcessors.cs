using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;

namespace MeshFlow.ServiceDefaults.Telemetry;

/// <summary>
/// Runs the span processors a service registers as <see cref="BaseProcessor{T}"/> of <see cref="Activity"/> (the
/// engine's content scrubber), in the tracing pipeline's first place: a processor added after the exporter would
/// change a span the batch exporter may already be writing.
/// </summary>
internal sealed class RegisteredSpanProcessors(IServiceProvider services) : BaseProcessor<Activity>
{
    private BaseProcessor<Activity>[]? _processors;

    // Resolved at the first span, not when the tracer provider is built: the processors may depend on services
    // (the engine) that are made lazily.
    private BaseProcessor<Activity>[] Processors => _processors ??= [.. services.GetServices<BaseProcessor<Activity>>()];

    public override void OnStart(Activity data)
    {
        foreach (var processor in Processors)
        {
            processor.OnStart(data);
        }
    }

    public override void OnEnd(Activity data)
    {
        foreach (var processor in Processors)
        {
            processor.OnEnd(data);
        }
    }
}
