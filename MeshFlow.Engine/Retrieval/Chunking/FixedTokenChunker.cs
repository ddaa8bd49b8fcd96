using MeshFlow.Agents;

namespace MeshFlow.Retrieval.Chunking;

/// <summary>
/// Windows of a fixed number of o200k_base tokens (the tokenizer <see cref="TokenEstimator"/> counts with), each
/// overlapping the previous one by a fixed number of tokens. Cuts fall on token boundaries and map back to character
/// offsets, so each chunk is an exact substring of the document.
/// </summary>
/// <remarks>
/// Chunks are trimmed of surrounding whitespace; tokenized on its own, a chunk may count one token more than its
/// window, where the trimmed space belonged to its first word's token.
/// </remarks>
public sealed class FixedTokenChunker : ITextChunker
{
    /// <summary>Creates a chunker of <paramref name="chunkTokens"/>-token windows overlapping by <paramref name="overlapTokens"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The size is under 1, or the overlap is negative or not under the size.</exception>
    public FixedTokenChunker(int chunkTokens = 512, int overlapTokens = 64)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(chunkTokens, 1);
        ArgumentOutOfRangeException.ThrowIfNegative(overlapTokens);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(overlapTokens, chunkTokens);
        ChunkTokens = chunkTokens;
        OverlapTokens = overlapTokens;
    }

    /// <summary>Tokens per chunk.</summary>
    public int ChunkTokens { get; }

    /// <summary>Tokens each chunk shares with the one before it.</summary>
    public int OverlapTokens { get; }

    /// <inheritdoc />
    public IReadOnlyList<TextChunk> Chunk(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var chunks = new List<TextChunk>();
        foreach (var (start, end) in Windows(text, 0, text.Length, ChunkTokens, OverlapTokens))
        {
            Add(chunks, text, start, end);
        }

        return chunks;
    }

    /// <summary>Character windows of <c>text[from..to]</c>, cut every <paramref name="size"/> tokens with <paramref name="overlap"/> shared.</summary>
    internal static IEnumerable<(int Start, int End)> Windows(string text, int from, int to, int size, int overlap)
    {
        var starts = TokenStarts(text, from, to);
        if (starts.Count == 0)
        {
            yield break;
        }

        var first = 0;
        while (true)
        {
            var last = Math.Min(first + size, starts.Count);
            yield return (starts[first], last < starts.Count ? starts[last] : to);
            if (last == starts.Count)
            {
                yield break;
            }

            first = Math.Max(last - overlap, first + 1);
        }
    }

    /// <summary>Appends the chunk <c>text[start..end]</c> trimmed of surrounding whitespace, unless nothing is left.</summary>
    internal static void Add(List<TextChunk> chunks, string text, int start, int end)
    {
        while (start < end && char.IsWhiteSpace(text[start]))
        {
            start++;
        }

        while (end > start && char.IsWhiteSpace(text[end - 1]))
        {
            end--;
        }

        if (end > start)
        {
            chunks.Add(new TextChunk(chunks.Count, start, end, text[start..end]));
        }
    }

    // Where each token starts. A character the tokenizer splits over several byte-level tokens gives them one offset;
    // only the first of those is kept, so no cut falls inside a character.
    private static List<int> TokenStarts(string text, int from, int to)
    {
        var tokens = TokenEstimator.Instance.EncodeToTokens(text.AsSpan(from, to - from), out _, considerPreTokenization: true, considerNormalization: false);
        var starts = new List<int>(tokens.Count);
        foreach (var token in tokens)
        {
            var start = from + token.Offset.Start.GetOffset(to - from);
            if (starts.Count == 0 || start > starts[^1])
            {
                starts.Add(start);
            }
        }

        return starts;
    }
}
