namespace MeshFlow.AppHost;

/// <summary>The LLM connections the AppHost is given, passed through to every service that runs agents.</summary>
public static class LlmConnectionExtensions
{
    // Bedrock signs with these (or sends the bearer key); AWS_REGION is not secret, the others are.
    private static readonly (string Variable, bool Secret)[] AwsVariables =
    [
        ("AWS_ACCESS_KEY_ID", true), ("AWS_SECRET_ACCESS_KEY", true), ("AWS_SESSION_TOKEN", true), ("AWS_BEARER_TOKEN_BEDROCK", true),
        ("AWS_REGION", false), ("AWS_DEFAULT_REGION", false),
    ];

    /// <summary>
    /// A connection-string resource for <c>ConnectionStrings:llm</c> and each <c>ConnectionStrings:llm-&lt;name&gt;</c>
    /// that is configured (user secrets, environment, appsettings), none required (agents then use the offline model),
    /// and a parameter for each standard AWS variable the AppHost has (secret ones as secrets).
    /// </summary>
    public static LlmConnections AddLlmConnections(this IDistributedApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var names = builder.Configuration.GetSection("ConnectionStrings").GetChildren()
            .Select(c => c.Key)
            .Where(name => name.Equals("llm", StringComparison.OrdinalIgnoreCase) || name.StartsWith("llm-", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.OrdinalIgnoreCase);
        var connections = names.Select(builder.AddOptionalConnectionString).OfType<IResourceBuilder<IResourceWithConnectionString>>().ToList();
        var aws = new Dictionary<string, IResourceBuilder<ParameterResource>>(StringComparer.Ordinal);
        foreach (var (variable, secret) in AwsVariables)
        {
            if (builder.Configuration[variable] is { Length: > 0 })
            {
                aws[variable] = builder.AddParameterFromConfiguration(variable.ToLowerInvariant().Replace('_', '-'), variable, secret);
            }
        }

        return new LlmConnections(connections, aws);
    }

    /// <summary>References every LLM connection and hands on the AWS variables (Bedrock signs its requests with them).</summary>
    public static IResourceBuilder<TDestination> WithLlmConnections<TDestination>(this IResourceBuilder<TDestination> builder, LlmConnections llm)
        where TDestination : IResourceWithEnvironment
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(llm);
        foreach (var connection in llm.Connections)
        {
            builder.WithReference(connection);
        }

        foreach (var (variable, parameter) in llm.Aws)
        {
            builder.WithEnvironment(variable, parameter);
        }

        return builder;
    }
}
