using MeshFlow.Agents;
using MeshFlow.Retrieval.Chunking;

namespace MeshFlow.Tests.Retrieval.Chunking;

public sealed class ChunkerTests
{
    private static readonly string Prose = string.Join(" ", Enumerable.Range(1, 400).Select(i =>
        $"Sentence number {i} describes shipment {i * 7} bound for dock {i % 13}, and it is checked by Dr. Ruiz."));

    [Fact]
    public void Fixed_chunks_are_exact_substrings_of_at_most_the_token_size()
    {
        var chunker = new FixedTokenChunker(chunkTokens: 128, overlapTokens: 16);

        var chunks = chunker.Chunk(Prose);

        Assert.True(chunks.Count > 10);
        foreach (var chunk in chunks)
        {
            Assert.Equal(Prose[chunk.Start..chunk.End], chunk.Text);
            // Counted on its own, a chunk may take a token more than in the document: trimming the space off its
            // first word (" Sentence") can split that word's token.
            Assert.InRange(TokenEstimator.Count(chunk.Text), 1, 128 + 1);
        }

        Assert.Equal(Enumerable.Range(0, chunks.Count), chunks.Select(chunk => chunk.Position));
        Assert.Equal(0, chunks[0].Start);
        Assert.Equal(Prose.Length, chunks[^1].End);
    }

    [Fact]
    public void Fixed_chunks_overlap_by_the_overlap_and_cover_the_text()
    {
        var chunker = new FixedTokenChunker(chunkTokens: 100, overlapTokens: 20);

        var chunks = chunker.Chunk(Prose);

        for (var i = 1; i < chunks.Count; i++)
        {
            var previous = chunks[i - 1];
            var current = chunks[i];
            Assert.True(current.Start < previous.End, $"chunk {i} starts after chunk {i - 1} ends");
            Assert.True(current.Start > previous.Start);

            // The shared text is about the overlap's 20 tokens (a cut may trim a space either side).
            Assert.InRange(TokenEstimator.Count(Prose[current.Start..previous.End]), 18, 22);
        }
    }

    [Fact]
    public void Fixed_chunker_defaults_to_512_tokens_with_64_of_overlap()
    {
        var chunker = new FixedTokenChunker();

        Assert.Equal((512, 64), (chunker.ChunkTokens, chunker.OverlapTokens));
        Assert.All(chunker.Chunk(Prose), chunk => Assert.InRange(TokenEstimator.Count(chunk.Text), 1, 512 + 1));
    }

    [Fact]
    public void Fixed_chunks_keep_multibyte_characters_whole()
    {
        var text = string.Concat(Enumerable.Repeat("Zürich 🚚 → 東京 naïve café. ", 60));

        var chunks = new FixedTokenChunker(chunkTokens: 17, overlapTokens: 5).Chunk(text);

        Assert.NotEmpty(chunks);
        Assert.All(chunks, chunk =>
        {
            Assert.Equal(text[chunk.Start..chunk.End], chunk.Text);
            Assert.False(char.IsLowSurrogate(chunk.Text[0]), "a chunk starts inside a surrogate pair");
            Assert.False(char.IsHighSurrogate(chunk.Text[^1]), "a chunk ends inside a surrogate pair");
        });
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(10, 10)]
    [InlineData(10, -1)]
    public void Fixed_chunker_refuses_sizes_that_cannot_make_progress(int size, int overlap) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new FixedTokenChunker(size, overlap));

    [Fact]
    public void Sentence_chunks_hold_whole_sentences_within_the_budget()
    {
        var chunker = new SentenceChunker(maxTokens: 80, overlapSentences: 1);
        var sentences = SentenceSplitter.SplitToStrings(Prose).ToHashSet(StringComparer.Ordinal);

        var chunks = chunker.Chunk(Prose);

        Assert.True(chunks.Count > 10);
        foreach (var chunk in chunks)
        {
            Assert.Equal(Prose[chunk.Start..chunk.End], chunk.Text);
            Assert.InRange(TokenEstimator.Count(chunk.Text), 1, 80 + 5);
            Assert.All(SentenceSplitter.SplitToStrings(chunk.Text), sentence => Assert.Contains(sentence, sentences));
        }
    }

    [Fact]
    public void Sentence_chunks_repeat_the_last_sentence_of_the_previous_chunk()
    {
        var chunks = new SentenceChunker(maxTokens: 80, overlapSentences: 1).Chunk(Prose);

        for (var i = 1; i < chunks.Count; i++)
        {
            var last = SentenceSplitter.SplitToStrings(chunks[i - 1].Text)[^1];
            Assert.StartsWith(last, chunks[i].Text, StringComparison.Ordinal);
        }

        var withoutOverlap = new SentenceChunker(maxTokens: 80, overlapSentences: 0).Chunk(Prose);
        Assert.All(withoutOverlap.Zip(withoutOverlap.Skip(1)), pair => Assert.True(pair.Second.Start >= pair.First.End));
    }

    [Fact]
    public void A_sentence_longer_than_the_budget_is_cut_on_token_boundaries()
    {
        var longSentence = string.Join(", ", Enumerable.Range(1, 200).Select(i => $"item {i}")) + ".";
        var text = "A short opening. " + longSentence + " A short close.";

        var chunks = new SentenceChunker(maxTokens: 50, overlapSentences: 1).Chunk(text);

        Assert.All(chunks, chunk =>
        {
            Assert.Equal(text[chunk.Start..chunk.End], chunk.Text);
            Assert.InRange(TokenEstimator.Count(chunk.Text), 1, 55);
        });
        Assert.Equal("A short close.", chunks[^1].Text[^"A short close.".Length..]);
        Assert.Equal(text.Length, chunks[^1].End);
    }

    [Fact]
    public void Empty_and_blank_text_gives_no_chunks()
    {
        Assert.Empty(new SentenceChunker().Chunk(""));
        Assert.Empty(new SentenceChunker().Chunk(" \n\n\t "));
        Assert.Empty(new FixedTokenChunker().Chunk("   "));
    }

    [Fact]
    public void A_short_document_is_one_chunk()
    {
        const string text = "Only one sentence here. And a second.";

        var sentenceChunks = new SentenceChunker().Chunk(text);
        var fixedChunks = new FixedTokenChunker().Chunk(text);

        Assert.Equal([new TextChunk(0, 0, text.Length, text)], sentenceChunks);
        Assert.Equal([new TextChunk(0, 0, text.Length, text)], fixedChunks);
    }
}
