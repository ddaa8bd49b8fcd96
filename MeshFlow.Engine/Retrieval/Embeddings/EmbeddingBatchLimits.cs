using MeshFlow.Agents;

namespace MeshFlow.Retrieval.Embeddings;

/// <summary>How much one embedding request to a provider may carry: a number of inputs and an estimate of their tokens.</summary>
/// <param name="MaxInputs">The most texts in one request.</param>
/// <param name="MaxTokens">The most tokens in one request, estimated with o200k_base (a margin below the provider's limit covers the estimate's error).</param>
internal sealed record EmbeddingBatchLimits(int MaxInputs, int MaxTokens)
{
    /// <summary>OpenAI: 2,048 inputs and 300,000 tokens a request.</summary>
    public static EmbeddingBatchLimits OpenAi { get; } = new(2048, 250_000);

    /// <summary>Gemini's OpenAI-compatible endpoint: 100 inputs a request.</summary>
    public static EmbeddingBatchLimits Gemini { get; } = new(100, 250_000);

    /// <summary>Voyage AI: 1,000 inputs and 120,000 tokens a request (voyage-3).</summary>
    public static EmbeddingBatchLimits Voyage { get; } = new(1000, 100_000);

    /// <summary>Ollama: no stated limit; a local server's request stays modest.</summary>
    public static EmbeddingBatchLimits Ollama { get; } = new(64, 250_000);

    /// <summary>
    /// The texts in order, in batches within both limits; a text alone over the token limit goes alone (the provider
    /// then says what it allows).
    /// </summary>
    public IEnumerable<string[]> Split(string[] texts)
    {
        var start = 0;
        while (start < texts.Length)
        {
            var end = start;
            var tokens = 0;
            while (end < texts.Length && end - start < MaxInputs)
            {
                var next = TokenEstimator.Count(texts[end]);
                if (end > start && tokens + next > MaxTokens)
                {
                    break;
                }

                tokens += next;
                end++;
            }

            yield return texts[start..end];
            start = end;
        }
    }
}
