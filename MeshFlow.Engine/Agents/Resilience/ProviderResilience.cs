using MeshFlow.Agents.Providers;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;

namespace MeshFlow.Agents.Resilience;

/// <summary>One connection's resilience pipeline: retries with backoff around a circuit breaker, both Polly's.</summary>
internal static class ProviderResilience
{
    public static ResiliencePipeline Build(ProviderResilienceOptions options, TimeProvider time, ILoggerFactory? loggerFactory, string connection)
    {
        ArgumentNullException.ThrowIfNull(options);
        var transient = new PredicateBuilder().Handle<LlmProviderException>(e => e.IsTransient);
        var builder = new ResiliencePipelineBuilder { TimeProvider = time, Name = "meshflow-llm", InstanceName = connection };
        if (loggerFactory is not null)
        {
            builder.ConfigureTelemetry(loggerFactory);
        }

        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                // A wait longer than the cap is not sat out: the step moves on to its next model, or fails.
                ShouldHandle = new PredicateBuilder().Handle<LlmProviderException>(e =>
                    e.IsTransient && (e.RetryAfter is not { } wait || wait <= options.MaxRetryDelay)),
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryDelay,
                MaxDelay = options.MaxRetryDelay,
                DelayGenerator = static args => new ValueTask<TimeSpan?>(
                    args.Outcome.Exception is LlmProviderException { RetryAfter: { } asked } ? TimeSpan.FromTicks(Math.Max(0, asked.Ticks)) : null),
            });
        }

        // Inside the retries, so every attempt is one the breaker sees, and an open breaker is not retried.
        builder.AddCircuitBreaker(new CircuitBreakerStrategyOptions
        {
            ShouldHandle = transient,
            FailureRatio = options.FailureRatio,
            MinimumThroughput = Math.Max(2, options.MinimumThroughput),
            SamplingDuration = options.SamplingDuration,
            BreakDuration = options.BreakDuration,
        });
        return builder.Build();
    }
}
