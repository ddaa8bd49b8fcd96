using Microsoft.Extensions.AI;
using Microsoft.ML.Tokenizers;

namespace MeshFlow.Agents;

/// <summary>
/// Counts tokens with the o200k_base tokenizer when a provider reports no usage. Figures from here are marked
/// estimated wherever they are shown or recorded.
/// </summary>
public static class TokenEstimator
{
    private static readonly Lazy<Tokenizer> Tokenizer = new(() => TiktokenTokenizer.CreateForEncoding("o200k_base"));

    /// <summary>The o200k_base tokenizer itself, for the chunkers that cut text on its token boundaries.</summary>
    internal static Tokenizer Instance => Tokenizer.Value;

    /// <summary>Tokens in a text.</summary>
    public static int Count(string text) => string.IsNullOrEmpty(text) ? 0 : Tokenizer.Value.CountTokens(text);

    /// <summary>Tokens in a prompt: every message's text plus a small per-message overhead, as chat formats add.</summary>
    public static int Count(IEnumerable<ChatMessage> messages)
    {
        ArgumentNullException.ThrowIfNull(messages);
        const int PerMessageOverhead = 3;
        var total = 0;
        foreach (var message in messages)
        {
            total += PerMessageOverhead + Count(message.Text);
        }

        return total;
    }
}
