namespace MeshFlow.AppHost.ApiKeys;

/// <summary>
/// Signs the local dashboard in with the development key, so <c>dotnet run --project MeshFlow.AppHost</c> opens straight
/// onto the runs. The key reaches the dashboard as a secret parameter (masked in the Aspire dashboard) and stays in the
/// dashboard's server-side sign-in cookie.
/// </summary>
public static class DashboardSignInExtensions
{
    /// <summary>The dashboard's setting: a visitor without a cookie is signed in with this key.</summary>
    public const string DashboardApiKeyVariable = "MESHFLOW_DASHBOARD_API_KEY";

    /// <summary>The parameter that carries the development key to the dashboard.</summary>
    public const string ParameterName = "meshflow-dashboard-api-key";

    /// <summary>
    /// Hands the development key to the dashboard. Nothing when the user set <c>MESHFLOW_API_KEYS</c> (which of their
    /// keys, if any, should open the dashboard is theirs to say: they sign in) and nothing in publish mode.
    /// </summary>
    public static IResourceBuilder<T> WithDevelopmentSignIn<T>(this IResourceBuilder<T> builder, ApiKeySettings keys)
        where T : IResourceWithEnvironment
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(keys);
        if (keys.DevelopmentKey is not { } key)
        {
            return builder;
        }

        // Read (and on the first start, made) when the parameter is resolved at start-up, never when the model is built.
        var parameter = builder.ApplicationBuilder.AddParameter(ParameterName, () => key.ReadOrCreate(), secret: true);
        return builder.WithEnvironment(DashboardApiKeyVariable, parameter);
    }
}
