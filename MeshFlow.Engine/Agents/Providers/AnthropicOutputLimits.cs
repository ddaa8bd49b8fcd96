namespace MeshFlow.Agents.Providers;

/// <summary>
/// The most output tokens each Claude model may be asked for. The Messages API refuses a <c>max_tokens</c> above the
/// model's limit with a 400, and the engine asks for what is left of a run's token budget (a million under the standard
/// policy), so a request is held to the limit of the model it names.
/// </summary>
internal static class AnthropicOutputLimits
{
    /// <summary>What a model not listed may be asked for: the least of the current models' limits.</summary>
    public const int Unlisted = 32_000;

    // Anthropic's published limits, by the part of the id after "claude-", most specific first. A Bedrock id
    // (anthropic.claude-..., us.anthropic.claude-...) carries the same part.
    private static readonly (string Family, int Limit)[] Limits =
    [
        ("opus-4-5", 64_000),
        ("opus-4-1", 32_000),
        ("opus-4", 32_000),
        ("sonnet-4", 64_000),
        ("3-7-sonnet", 64_000),
        ("haiku-4", 64_000),
        ("3-5-sonnet", 8_192),
        ("3-5-haiku", 8_192),
        ("3-haiku", 4_096),
        ("3-opus", 4_096),
    ];

    /// <summary>The most output tokens <paramref name="model"/> may be asked for.</summary>
    public static int Of(string model)
    {
        var at = model.IndexOf("claude-", StringComparison.OrdinalIgnoreCase);
        if (at < 0)
        {
            return Unlisted;
        }

        var family = model.AsSpan(at + "claude-".Length);
        foreach (var (prefix, limit) in Limits)
        {
            if (family.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                return limit;
            }
        }

        return Unlisted;
    }
}
