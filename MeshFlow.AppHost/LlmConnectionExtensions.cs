namespace MeshFlow.AppHost;

/// <summary>The LLM connections the AppHost is given, passed through to every service that runs agents.</summary>
public static class LlmConnectionExtensions
{
    private static readonly string[] AwsVariables = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_REGION", "AWS_DEFAULT_REGION"];

    /// <summary>
    /// A connection-string resource for <c>ConnectionStrings:llm</c> and each <c>ConnectionStrings:llm-&lt;name&gt;</c>
    /// that is configured (user secrets, environment, appsettings); none is required (agents then use the offline model).
    /// </summary>
    public static IReadOnlyList<IResourceBuilder<IResourceWithConnectionString>> AddLlmConnections(this IDistributedApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var names = builder.Configuration.GetSection("ConnectionStrings").GetChildren()
            .Select(c => c.Key)
            .Where(name => name.Equals("llm", StringComparison.OrdinalIgnoreCase) || name.StartsWith("llm-", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.OrdinalIgnoreCase);
        return [.. names.Select(builder.AddOptionalConnectionString).OfType<IResourceBuilder<IResourceWithConnectionString>>()];
    }

    /// <summary>
    /// References every LLM connection, and hands on the standard AWS variables the AppHost has (Bedrock signs its
    /// requests with them).
    /// </summary>
    public static IResourceBuilder<TDestination> WithLlmConnections<TDestination>(this IResourceBuilder<TDestination> builder,
        IReadOnlyList<IResourceBuilder<IResourceWithConnectionString>> connections)
        where TDestination : IResourceWithEnvironment
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(connections);
        foreach (var connection in connections)
        {
            builder.WithReference(connection);
        }

        foreach (var variable in AwsVariables)
        {
            if (builder.ApplicationBuilder.Configuration[variable] is { Length: > 0 } value)
            {
                builder.WithEnvironment(variable, value);
            }
        }

        return builder;
    }
}
