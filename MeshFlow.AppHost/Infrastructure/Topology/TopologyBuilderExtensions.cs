using System.Collections.Immutable;
using MeshFlow.LocalServers;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MeshFlow.AppHost.Infrastructure.Topology;

public static class TopologyBuilderExtensions
{
    public const string ResourceName = "topology";
    public const string ModeProperty = "meshflow.mode";
    public const string MessageProperty = "meshflow.message";
    public const string MissingProperty = "meshflow.missing";

    /// <summary>
    /// Adds the <c>topology</c> resource, whose state and properties carry <paramref name="message"/>; the message
    /// is also logged to the AppHost console (a warning when servers are missing) and to the resource's log.
    /// </summary>
    public static IResourceBuilder<TopologyResource> AddTopology(
        this IDistributedApplicationBuilder builder,
        InfrastructureMode mode,
        string message,
        IReadOnlyList<MissingServer> missing)
    {
        ArgumentNullException.ThrowIfNull(builder);

        var resource = new TopologyResource(ResourceName, mode, message, missing);
        var state = mode == InfrastructureMode.Embedded
            ? new ResourceStateSnapshot("Embedded: " + string.Join("; ", missing.Select(m => m.Problem)), KnownResourceStateStyles.Warn)
            : new ResourceStateSnapshot(mode == InfrastructureMode.Containers ? "Containers" : "Local processes", KnownResourceStateStyles.Success);

        return builder.AddResource(resource)
            .WithInitialState(new CustomResourceSnapshot
            {
                ResourceType = "Topology",
                State = state,
                Properties =
                [
                    new(ModeProperty, mode.ToString()),
                    new(MessageProperty, message),
                    new(MissingProperty, missing.Count == 0 ? "none" : string.Join("\n", missing)),
                ],
                Urls = ImmutableArray<UrlSnapshot>.Empty,
            })
            .WithIconName("Organization")
            .OnInitializeResource((topology, @event, _) =>
            {
                var console = @event.Services.GetRequiredService<ILoggerFactory>().CreateLogger("MeshFlow.AppHost.Topology");
                var level = topology.Mode == InfrastructureMode.Embedded ? LogLevel.Warning : LogLevel.Information;
                InfrastructureLog.Topology(console, level, topology.Message);
                InfrastructureLog.Topology(@event.Logger, level, topology.Message);
                return Task.CompletedTask;
            })
            .ExcludeFromManifest();
    }
}
