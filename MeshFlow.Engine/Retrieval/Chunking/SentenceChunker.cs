using MeshFlow.Agents;

namespace MeshFlow.Retrieval.Chunking;

/// <summary>
/// Packs whole sentences (from <see cref="SentenceSplitter"/>) into chunks of at most a token budget (o200k_base, as
/// <see cref="TokenEstimator"/> counts), each chunk starting with the last sentences of the one before it. A sentence
/// longer than the budget on its own is cut on token boundaries, as <see cref="FixedTokenChunker"/> cuts.
/// </summary>
public sealed class SentenceChunker : ITextChunker
{
    /// <summary>Creates a chunker of at most <paramref name="maxTokens"/> tokens, repeating <paramref name="overlapSentences"/> sentences.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The budget is under 1 or the overlap is negative.</exception>
    public SentenceChunker(int maxTokens = 200, int overlapSentences = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxTokens, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(overlapSentences);
        MaxTokens = maxTokens;
        OverlapSentences = overlapSentences;
    }

    /// <summary>The most tokens a chunk holds.</summary>
    public int MaxTokens { get; }

    /// <summary>Sentences each chunk repeats from the end of the one before it.</summary>
    public int OverlapSentences { get; }

    /// <inheritdoc />
    public IReadOnlyList<TextChunk> Chunk(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sentences = new List<(int Start, int End, int Tokens)>();
        foreach (var range in SentenceSplitter.Split(text))
        {
            var (start, length) = range.GetOffsetAndLength(text.Length);
            var tokens = TokenEstimator.Count(text.Substring(start, length));
            if (tokens <= MaxTokens)
            {
                sentences.Add((start, start + length, tokens));
                continue;
            }

            foreach (var (pieceStart, pieceEnd) in FixedTokenChunker.Windows(text, start, start + length, MaxTokens, 0))
            {
                sentences.Add((pieceStart, pieceEnd, MaxTokens));
            }
        }

        var chunks = new List<TextChunk>();
        var first = 0;
        while (first < sentences.Count)
        {
            // Whole sentences while they fit; the separators between them count roughly as nothing.
            var last = first;
            var budget = sentences[first].Tokens;
            while (last + 1 < sentences.Count && budget + sentences[last + 1].Tokens <= MaxTokens)
            {
                last++;
                budget += sentences[last].Tokens;
            }

            FixedTokenChunker.Add(chunks, text, sentences[first].Start, sentences[last].End);
            if (last + 1 == sentences.Count)
            {
                break;
            }

            // The next chunk repeats up to OverlapSentences sentences, as many as still leave room for a new one.
            // It never starts where this one did.
            var previousFirst = first;
            var next = last + 1;
            var carried = sentences[next].Tokens;
            first = next;
            while (next - first < OverlapSentences && first - 1 > previousFirst && carried + sentences[first - 1].Tokens <= MaxTokens)
            {
                first--;
                carried += sentences[first].Tokens;
            }
        }

        return chunks;
    }
}
