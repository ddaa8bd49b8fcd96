using System.Text.Json.Serialization;

namespace MeshFlow.Governance.Guardian;

/// <summary>
/// What the guardian watches in a run and what it does about it: prompt injection, secrets and exfiltration in an
/// agent's output, untrusted run input, and behaviour (repeated outputs, stalled loops, token or cost spikes).
/// </summary>
/// <remarks>
/// <para>
/// <c>new GuardianPolicy()</c> is <see cref="Off"/>; <see cref="On"/> is the guardian with its defaults: injection
/// escalates, leaks are stripped, no host list, the run input trusted, behaviour watched. The settings stand while the
/// guardian is off, so turning it back on restores them.
/// </para>
/// <para>
/// Equality is by content (<see cref="AllowedHosts"/> compared in order). In JSON it is written as an object of every
/// part; it is read from an object (a part left out takes its default, and an object without <c>enabled</c> turns the
/// guardian on, as a policy's mapping does) or from <c>true</c> or <c>false</c>, as policies stored before the guardian
/// had parts wrote it.
/// </para>
/// </remarks>
[JsonConverter(typeof(GuardianPolicyJsonConverter))]
public sealed record GuardianPolicy
{
    /// <summary>Whether the guardian reviews the run's steps at all.</summary>
    [JsonPropertyName("enabled")]
    public bool Enabled { get; init; }

    /// <summary>What a step carrying a prompt injection leads to.</summary>
    [JsonPropertyName("on_injection")]
    public GuardianAction OnInjection { get; init; } = GuardianAction.Escalate;

    /// <summary>What a secret, or a link outside <see cref="AllowedHosts"/>, in an agent's output leads to.</summary>
    [JsonPropertyName("on_leak")]
    public LeakAction OnLeak { get; init; } = LeakAction.Strip;

    /// <summary>
    /// The hosts (lower-case, subdomains included) that URLs in an agent's output may point to; empty for no host list.
    /// </summary>
    [JsonPropertyName("allowed_hosts")]
    public IReadOnlyList<string> AllowedHosts
    {
        get;
        // Copied, so that a policy (a preset above all) cannot be changed through a list its caller kept.
        init => field = value is null ? [] : [.. value];
    } = [];

    /// <summary>Whether the run's input is scanned as untrusted content, as a tool's result is.</summary>
    [JsonPropertyName("untrusted_input")]
    public bool UntrustedInput { get; init; }

    /// <summary>Whether the run's behaviour is watched: repeated outputs, stalled loops, token or cost spikes.</summary>
    [JsonPropertyName("behaviour")]
    public bool Behaviour { get; init; } = true;

    /// <summary>No guardian (its parts at their defaults).</summary>
    public static GuardianPolicy Off { get; } = new();

    /// <summary>The guardian with its defaults.</summary>
    public static GuardianPolicy On { get; } = new() { Enabled = true };

    /// <inheritdoc />
    public bool Equals(GuardianPolicy? other) =>
        other is not null &&
        (ReferenceEquals(this, other) ||
         Enabled == other.Enabled && OnInjection == other.OnInjection && OnLeak == other.OnLeak &&
         AllowedHosts.SequenceEqual(other.AllowedHosts, StringComparer.Ordinal) && UntrustedInput == other.UntrustedInput &&
         Behaviour == other.Behaviour);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Enabled);
        hash.Add(OnInjection);
        hash.Add(OnLeak);
        foreach (var host in AllowedHosts)
        {
            hash.Add(host, StringComparer.Ordinal);
        }

        hash.Add(UntrustedInput);
        hash.Add(Behaviour);
        return hash.ToHashCode();
    }
}
