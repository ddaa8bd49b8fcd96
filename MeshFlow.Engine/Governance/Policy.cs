using System.Text.Json.Serialization;

namespace MeshFlow.Governance;

/// <summary>The limits a run is held to. Start from a named mode (<see cref="PolicyModes"/>) and override fields.</summary>
public sealed record Policy
{
    /// <summary>The named mode this policy started from.</summary>
    [JsonPropertyName("mode")]
    public string Mode { get; init; } = PolicyModes.Standard;

    /// <summary>Most steps a run may take, loop iterations included (0 = no limit).</summary>
    [JsonPropertyName("max_steps")]
    public int MaxSteps { get; init; }

    /// <summary>Most tokens (input plus output) a run may use (0 = no limit).</summary>
    [JsonPropertyName("max_tokens")]
    public long MaxTokens { get; init; }

    /// <summary>Most dollars a run may spend (0 = no limit).</summary>
    [JsonPropertyName("max_cost_usd")]
    public decimal MaxCostUsd { get; init; }

    /// <summary>Longest a single step may take; <see cref="Timeout.InfiniteTimeSpan"/> for none.</summary>
    [JsonPropertyName("step_timeout")]
    public TimeSpan StepTimeout { get; init; } = Timeout.InfiniteTimeSpan;

    /// <summary>
    /// Most characters of a step's output the ledger records (0 = unlimited, the default). Only a policy that asks
    /// for it truncates, and the record then says so and keeps the original length.
    /// </summary>
    [JsonPropertyName("max_output_chars")]
    public int MaxOutputChars { get; init; }

    /// <summary>The policy of a named mode.</summary>
    /// <exception cref="ArgumentException">The mode is not one of <see cref="PolicyModes.All"/>.</exception>
    public static Policy ForMode(string mode) =>
        TryForMode(mode, out var policy)
            ? policy
            : throw new ArgumentException(
                $"unknown policy mode '{mode}' (expected one of {string.Join(", ", PolicyModes.All)})", nameof(mode));

    /// <summary>The policy of a named mode, or false when the mode is unknown.</summary>
    public static bool TryForMode(string mode, out Policy policy)
    {
        policy = mode switch
        {
            PolicyModes.Dev => new Policy
            {
                Mode = PolicyModes.Dev, MaxSteps = 1_000, StepTimeout = TimeSpan.FromMinutes(10),
            },
            PolicyModes.Standard => new Policy
            {
                Mode = PolicyModes.Standard, MaxSteps = 200, MaxTokens = 1_000_000, MaxCostUsd = 10m,
                StepTimeout = TimeSpan.FromMinutes(2),
            },
            PolicyModes.Strict => new Policy
            {
                Mode = PolicyModes.Strict, MaxSteps = 50, MaxTokens = 200_000, MaxCostUsd = 2m,
                StepTimeout = TimeSpan.FromMinutes(1),
            },
            PolicyModes.Hipaa => new Policy
            {
                Mode = PolicyModes.Hipaa, MaxSteps = 50, MaxTokens = 200_000, MaxCostUsd = 2m,
                StepTimeout = TimeSpan.FromMinutes(1),
            },
            _ => null!,
        };
        return policy is not null;
    }
}
