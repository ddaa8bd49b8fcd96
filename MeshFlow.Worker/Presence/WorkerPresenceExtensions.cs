namespace MeshFlow.Worker.Presence;

public static class WorkerPresenceExtensions
{
    public static IHostApplicationBuilder AddWorkerPresence(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        builder.Services.AddOptions<WorkerPresenceOptions>()
            .BindConfiguration(WorkerPresenceOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddHostedService<WorkerPresence>();

        return builder;
    }
}
