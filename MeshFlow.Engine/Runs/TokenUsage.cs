using System.Text.Json.Serialization;

namespace MeshFlow.Runs;

/// <summary>Tokens used by a step or a run.</summary>
/// <param name="Input">Prompt tokens.</param>
/// <param name="Output">Completion tokens.</param>
/// <param name="Estimated">True when the provider reported no usage and the figure was counted with a tokenizer.</param>
/// <param name="CachedInput">Of the prompt tokens, those the provider read from its prompt cache (priced lower).</param>
public readonly record struct TokenUsage(
    [property: JsonPropertyName("input")] long Input,
    [property: JsonPropertyName("output")] long Output,
    [property: JsonPropertyName("estimated")] bool Estimated = false,
    [property: JsonPropertyName("cached_input")][property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] long CachedInput = 0)
{
    /// <summary>Input plus output tokens.</summary>
    [JsonPropertyName("total")]
    public long Total => Input + Output;

    /// <summary>Adds two usages; the sum is estimated when either part is.</summary>
    public static TokenUsage operator +(TokenUsage left, TokenUsage right) =>
        new(left.Input + right.Input, left.Output + right.Output, left.Estimated || right.Estimated, left.CachedInput + right.CachedInput);

    /// <summary>Adds two usages (the named alternative to <c>+</c>).</summary>
    public static TokenUsage Add(TokenUsage left, TokenUsage right) => left + right;
}
