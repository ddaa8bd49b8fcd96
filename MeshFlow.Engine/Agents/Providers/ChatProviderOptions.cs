using MeshFlow.Agents.Resilience;
using Microsoft.Extensions.Logging;

namespace MeshFlow.Agents.Providers;

/// <summary>What <see cref="ChatProviders"/> creates clients with.</summary>
public sealed class ChatProviderOptions
{
    // One HTTP client for every provider of the process, as each SDK would share its own: connections are pooled per
    // endpoint and renewed every few minutes, so a changed DNS record is picked up.
    private static readonly HttpClient SharedHttp = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    /// <summary>The configured connections by name (<see cref="LlmConnection.DefaultName"/> for <c>ConnectionStrings:llm</c>).</summary>
    public IDictionary<string, LlmConnection> Connections { get; } = new Dictionary<string, LlmConnection>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The HTTP client requests are sent with (shared, not disposed by the clients).</summary>
    public HttpClient Http { get; set; } = SharedHttp;

    /// <summary>How long a provider may send nothing (no answer, or a stream gone silent) before the call fails.</summary>
    public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromSeconds(100);

    /// <summary>Retries and circuit breakers of every connection (one breaker per connection).</summary>
    public ProviderResilienceOptions Resilience { get; set; } = new();

    /// <summary>
    /// Where Polly reports retries and breaker state changes (logs, and its <c>Polly</c> meter); null reports nothing.
    /// Hosts set it to their logger factory.
    /// </summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>
    /// The process environment, for the standard AWS variables (<c>AWS_ACCESS_KEY_ID</c>, <c>AWS_SECRET_ACCESS_KEY</c>,
    /// <c>AWS_SESSION_TOKEN</c>, <c>AWS_REGION</c>); tests give their own.
    /// </summary>
    public Func<string, string?> Environment { get; set; } = System.Environment.GetEnvironmentVariable;
}
