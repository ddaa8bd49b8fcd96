using Microsoft.Extensions.Configuration;

namespace MeshFlow.AppHost;

public static class ApprovalSettingsExtensions
{
    /// <summary>The settings that sign and address approval webhooks, passed through from the AppHost's configuration.</summary>
    public static readonly string[] Keys = ["MESHFLOW_WEBHOOK_SECRETS", "MESHFLOW_WEBHOOK_SECRETS_FILE", "MESHFLOW_WEBHOOK_ALLOW_PRIVATE"];

    /// <summary>
    /// Passes each approval setting the AppHost is given (environment, user secrets, appsettings) to the service, so
    /// whichever process delivers a notification signs it with the tenant's secret and applies the same address rules.
    /// </summary>
    public static IResourceBuilder<T> WithApprovalSettings<T>(this IResourceBuilder<T> builder, IConfiguration configuration)
        where T : IResourceWithEnvironment
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(configuration);
        foreach (var key in Keys)
        {
            if (configuration[key] is { Length: > 0 } value)
            {
                builder.WithEnvironment(key, value);
            }
        }

        return builder;
    }
}
