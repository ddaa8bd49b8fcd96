using Microsoft.Extensions.Configuration;

namespace MeshFlow.AppHost;

public static class OptionalConnectionStringExtensions
{
    /// <summary>
    /// Adds the connection string <paramref name="name"/> only when <c>ConnectionStrings:{name}</c> is configured
    /// (user secrets, environment, appsettings); otherwise returns null and the services run without it.
    /// </summary>
    /// <remarks>
    /// An unconditional <c>AddConnectionString</c> would make a missing value an unresolved parameter that the
    /// AppHost waits on; for <c>llm</c>, absence is a supported mode (agents use the offline model).
    /// </remarks>
    public static IResourceBuilder<IResourceWithConnectionString>? AddOptionalConnectionString(
        this IDistributedApplicationBuilder builder,
        string name)
    {
        ArgumentNullException.ThrowIfNull(builder);

        return string.IsNullOrWhiteSpace(builder.Configuration.GetConnectionString(name))
            ? null
            : builder.AddConnectionString(name);
    }
}
