namespace MeshFlow.AppHost;

/// <summary>
/// The settings that sign and address approval webhooks, passed from the AppHost's configuration (environment, user
/// secrets, appsettings) to every process that may deliver a notification, so each signs with the tenant's secret and
/// applies the same address rules.
/// </summary>
public static class ApprovalSettingsExtensions
{
    private const string SecretsKey = "MESHFLOW_WEBHOOK_SECRETS";

    /// <summary>The plain settings passed through as they are.</summary>
    public static readonly string[] PlainKeys = ["MESHFLOW_WEBHOOK_SECRETS_FILE", "MESHFLOW_WEBHOOK_ALLOW_PRIVATE"];

    /// <summary>
    /// The approval settings the AppHost was given; the signing secrets become a secret parameter, so the dashboard and
    /// the manifest never show them.
    /// </summary>
    public static ApprovalSettings AddApprovalSettings(this IDistributedApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var secrets = builder.Configuration[SecretsKey] is { Length: > 0 } value
            ? builder.AddParameter("webhook-secrets", value, secret: true)
            : null;
        var plain = PlainKeys.Where(key => builder.Configuration[key] is { Length: > 0 })
            .ToDictionary(key => key, key => builder.Configuration[key]!, StringComparer.Ordinal);
        return new ApprovalSettings(secrets, plain);
    }

    /// <summary>Passes the approval settings to the service.</summary>
    public static IResourceBuilder<T> WithApprovalSettings<T>(this IResourceBuilder<T> builder, ApprovalSettings settings)
        where T : IResourceWithEnvironment
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Secrets is { } secrets)
        {
            builder.WithEnvironment(SecretsKey, secrets);
        }

        foreach (var (key, value) in settings.Plain)
        {
            builder.WithEnvironment(key, value);
        }

        return builder;
    }
}

/// <summary>The approval settings an AppHost passes on: the secrets as a secret parameter, the rest as they are.</summary>
public sealed record ApprovalSettings(IResourceBuilder<ParameterResource>? Secrets, IReadOnlyDictionary<string, string> Plain);
