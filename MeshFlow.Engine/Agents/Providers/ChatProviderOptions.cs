using MeshFlow.Agents.Resilience;
using Microsoft.Extensions.Logging;

namespace MeshFlow.Agents.Providers;

/// <summary>What <see cref="ChatProviders"/> creates clients with.</summary>
public sealed class ChatProviderOptions
{
    // One HTTP client for every provider of the process, as each SDK would share its own: connections are pooled per
    // endpoint and renewed every few minutes, so a changed DNS record is picked up. Its timeout bounds the wait for a
    // response's headers (streams are read past it, each with its own idle timeout), so a server that accepts a
    // request and never answers fails the call, transiently, rather than holding the step.
    private static readonly HttpClient SharedHttp = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        Timeout = OpenAiDirectStreamingClient.DefaultIdleTimeout,
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
    /// Whether model calls' spans carry their prompts and completions (<c>MESHFLOW_TRACE_CONTENT</c>; off by default).
    /// When on, the content passes the guardian's secret stripping and the PHI scrubber before any exporter sees it
    /// (<see cref="MeshFlow.Observability.TraceContentScrubber"/>).
    /// </summary>
    public bool TraceContent { get; set; }

    /// <summary>
    /// The process environment, for the standard AWS variables (<c>AWS_ACCESS_KEY_ID</c>, <c>AWS_SECRET_ACCESS_KEY</c>,
    /// <c>AWS_SESSION_TOKEN</c>, <c>AWS_REGION</c>); tests give their own.
    /// </summary>
    public Func<string, string?> Environment { get; set; } = System.Environment.GetEnvironmentVariable;

    /// <summary>The secret values the connections use: their keys and tokens, and the AWS credentials of the environment when a connection is Bedrock's.</summary>
    public IEnumerable<string> Secrets()
    {
        foreach (var connection in Connections.Values)
        {
            foreach (var secret in (string?[])[connection.Key, connection.Token])
            {
                if (secret is { Length: > 0 })
                {
                    yield return secret;
                }
            }

            if (connection.Provider == LlmProviders.Bedrock)
            {
                foreach (var variable in (string[])["AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_BEARER_TOKEN_BEDROCK"])
                {
                    if (Environment(variable) is { Length: > 0 } value)
                    {
                        yield return value;
                    }
                }
            }
        }
    }
}
