using MeshFlow.AppHost.Infrastructure;

namespace MeshFlow.AppHost.ApiKeys;

/// <summary>
/// The api's keys under the AppHost: the user's <c>MESHFLOW_API_KEYS</c> when set, else a development admin key made on
/// the first start and kept (0600) in the AppHost's data folder beside the local servers' passwords, so every start
/// shows the same key. Both reach the api as a secret parameter, which the Aspire dashboard masks.
/// </summary>
public static class ApiKeyExtensions
{
    /// <summary>The api's setting, and the AppHost's own setting of the same name that overrides the development key.</summary>
    public const string ApiKeysVariable = "MESHFLOW_API_KEYS";

    /// <summary>The parameter that carries the keys to the api.</summary>
    public const string ParameterName = "meshflow-api-keys";

    /// <summary>The tenant and role of the development key, as its <c>MESHFLOW_API_KEYS</c> entry binds it.</summary>
    public const string DevelopmentKeyBinding = "default:admin";

    /// <summary>
    /// The keys the api gets. In publish mode none: a deployment's keys are its own (the manifest must never carry a
    /// key made on a developer's machine), and the api generates and prints one when it has none.
    /// </summary>
    public static ApiKeySettings AddApiKeys(this IDistributedApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (!builder.ExecutionContext.IsRunMode)
        {
            return new ApiKeySettings(Parameter: null, DevelopmentKey: null);
        }

        if (builder.Configuration[ApiKeysVariable] is { Length: > 0 } configured)
        {
            return new ApiKeySettings(builder.AddParameter(ParameterName, configured, secret: true), DevelopmentKey: null);
        }

        var key = DevelopmentKeyOf(LocalDataDirectory.Resolve(builder.Configuration));
        // Read (and on the first start, made) when the parameter is resolved at start-up, never when the model is built.
        var parameter = builder.AddParameter(ParameterName, () => $"{key.ReadOrCreate()}:{DevelopmentKeyBinding}", secret: true);
        return new ApiKeySettings(parameter, key);
    }

    /// <summary>The development key kept in <paramref name="dataDirectory"/> (<c>api/api-key</c>, a 0700 folder of its own).</summary>
    public static LocalSecret DevelopmentKeyOf(string dataDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        return new LocalSecret("meshflow-api-key", Path.Combine(dataDirectory, "api", "api-key"));
    }

    /// <summary>Hands the keys to the api as <c>MESHFLOW_API_KEYS</c> (nothing in publish mode).</summary>
    public static IResourceBuilder<T> WithApiKeys<T>(this IResourceBuilder<T> builder, ApiKeySettings keys)
        where T : IResourceWithEnvironment
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(keys);
        return keys.Parameter is { } parameter ? builder.WithEnvironment(ApiKeysVariable, parameter) : builder;
    }
}
