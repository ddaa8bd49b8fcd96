using MeshFlow.AppHost.ApiKeys;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MeshFlow.AppHost.Banner;

public static class RunningBannerExtensions
{
    /// <summary>
    /// Prints the <see cref="RunningBanner"/> on the AppHost's stdout when the api first becomes ready (run mode
    /// only). The URLs are the endpoints Aspire allocated, whatever the launch profiles say.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithRunningBanner(
        this IResourceBuilder<ProjectResource> api, IResourceBuilder<ProjectResource> dashboard, ApiKeySettings keys)
    {
        ArgumentNullException.ThrowIfNull(api);
        ArgumentNullException.ThrowIfNull(dashboard);
        ArgumentNullException.ThrowIfNull(keys);
        var builder = api.ApplicationBuilder;
        if (!builder.ExecutionContext.IsRunMode)
        {
            return api;
        }

        builder.Services.TryAddSingleton(_ => new RunningBanner(Console.Out));
        return api.OnResourceReady(async (resource, @event, cancellationToken) =>
        {
            var dashboardUrl = await dashboard.GetEndpoint("http").GetValueAsync(cancellationToken).ConfigureAwait(false);
            @event.Services.GetRequiredService<RunningBanner>().Print(new RunningBannerInfo(
                Api: resource.GetEndpoint("http").Url,
                Dashboard: dashboardUrl ?? "(no endpoint)",
                Aspire: AspireDashboardUrl(@event.Services.GetRequiredService<IConfiguration>()),
                ApiKey: keys.DevelopmentKey?.ReadOrCreate(),
                KeyFile: keys.DevelopmentKey?.Path));
        });
    }

    // The Aspire dashboard listens where the AppHost's own launch profile says (applicationUrl, as ASPNETCORE_URLS);
    // without it (tests, a disabled dashboard) there is none to point at.
    private static string? AspireDashboardUrl(IConfiguration configuration) =>
        configuration["ASPNETCORE_URLS"]?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
}
