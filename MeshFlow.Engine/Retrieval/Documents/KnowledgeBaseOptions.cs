using MeshFlow.Retrieval.Chunking;

namespace MeshFlow.Retrieval.Documents;

/// <summary>How the engine's knowledge bases cut, index and rank documents.</summary>
public sealed class KnowledgeBaseOptions
{
    /// <summary>
    /// Cuts documents into chunks. Default: <see cref="SentenceChunker"/> of at most 200 tokens with one sentence of
    /// overlap: whole sentences keep a chunk's meaning intact for the embedder and readable when cited, and 200 o200k
    /// tokens stay within the 256 word pieces all-MiniLM-L6-v2 was trained to embed.
    /// <see cref="FixedTokenChunker"/> (512 tokens, 64 of overlap) suits embedders with a longer input.
    /// </summary>
    public ITextChunker Chunker { get; set; } = new SentenceChunker();

    /// <summary>
    /// The ranking a retrieval uses when it names none. Default: <see cref="RetrievalMode.Vector"/>, which finds the
    /// passage of paraphrased questions far more often than <see cref="RetrievalMode.Hybrid"/> on MeshFlow's retrieval test
    /// set: BM25 rewards chunks that share a question's incidental words, and fusion lets them outrank the chunk that
    /// answers in other words. Hybrid suits queries that name exact terms (codes, product names, error messages).
    /// </summary>
    public RetrievalMode DefaultMode { get; set; } = RetrievalMode.Vector;

    /// <summary>How many chunks each ranking contributes to a hybrid fusion (at least the number asked for). Default: 20.</summary>
    public int FusionDepth { get; set; } = 20;
}
