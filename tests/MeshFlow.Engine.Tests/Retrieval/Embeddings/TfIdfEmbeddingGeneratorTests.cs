using System.Numerics.Tensors;
using MeshFlow.Retrieval.Embeddings;
using Microsoft.Extensions.AI;

namespace MeshFlow.Tests.Retrieval.Embeddings;

public sealed class TfIdfEmbeddingGeneratorTests
{
    private static readonly string[] Corpus =
    [
        "Invoices are payable within thirty days of the invoice date.",
        "The office closes at six on Fridays.",
        "Refunds for cancelled orders take five business days.",
        "Passwords must be rotated every ninety days.",
        "The quarterly report is published in April.",
    ];

    private static float Cosine(float[] a, float[] b) => TensorPrimitives.CosineSimilarity(a, b);

    [Fact]
    public async Task The_same_text_gets_the_same_vector_in_any_generator_of_the_same_fit()
    {
        var first = new TfIdfEmbeddingGenerator();
        var second = new TfIdfEmbeddingGenerator();
        first.Fit(Corpus);
        second.Fit(Corpus);

        var a = await first.GenerateAsync(["When are invoices payable?"], cancellationToken: TestContext.Current.CancellationToken);
        var b = await second.GenerateAsync(["When are invoices payable?"], cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal(a[0].Vector.ToArray(), b[0].Vector.ToArray());
        Assert.Equal(1024, a[0].Vector.Length);
        Assert.Equal(1f, TensorPrimitives.Norm(a[0].Vector.Span), 4);
        Assert.Equal("tfidf-1024", a[0].ModelId);
        var metadata = first.GetService<EmbeddingGeneratorMetadata>()!;
        Assert.Equal(("tfidf-1024", 1024), (metadata.DefaultModelId, metadata.DefaultModelDimensions));
    }

    [Fact]
    public void A_query_ranks_the_documents_that_share_its_words_first()
    {
        var generator = new TfIdfEmbeddingGenerator();
        generator.Fit(Corpus);
        var documents = Corpus.Select(generator.Embed).ToArray();

        int Best(string query)
        {
            var vector = generator.Embed(query);
            return Enumerable.Range(0, documents.Length).MaxBy(i => Cosine(vector, documents[i]));
        }

        Assert.Equal(0, Best("invoice payable days"));
        Assert.Equal(2, Best("How long do refunds take?"));
        Assert.Equal(3, Best("rotate my password"));
        Assert.Equal(4, Best("when is the quarterly report published"));
    }

    [Fact]
    public void Rare_words_weigh_more_than_common_ones_once_fitted()
    {
        var generator = new TfIdfEmbeddingGenerator();
        string[] corpus = ["days days days", "business days", "ninety days", "refunds in five days"];
        generator.Fit(corpus);

        var query = generator.Embed("refunds days");

        // "refunds" is in one document, "days" in all of them: the document with "refunds" wins.
        Assert.True(Cosine(query, generator.Embed(corpus[3])) > Cosine(query, generator.Embed(corpus[0])));
        Assert.Equal(4, generator.FittedDocuments);
    }

    [Fact]
    public void Words_are_lowercased_unicode_tokens_with_plurals_folded_and_function_words_dropped()
    {
        var generator = new TfIdfEmbeddingGenerator();

        Assert.Equal(generator.Embed("policy invoice"), generator.Embed("The POLICIES, of the Invoices!"));
        Assert.Equal(generator.Embed("Müller café"), generator.Embed("müller CAFÉ"));
        Assert.NotEqual(generator.Embed("status"), generator.Embed("statu"));
        Assert.All(generator.Embed("the of and"), v => Assert.Equal(0f, v));
    }

    [Fact]
    public void Texts_without_shared_words_are_orthogonal_up_to_hash_collisions()
    {
        var generator = new TfIdfEmbeddingGenerator();

        var similarity = Cosine(generator.Embed("The cat sat on the mat."), generator.Embed("A feline rested on the rug."));

        Assert.True(Math.Abs(similarity) < 0.2, $"similarity {similarity}");
    }

    [Fact]
    public void A_refit_changes_the_weights_so_stored_vectors_need_a_reembed()
    {
        var generator = new TfIdfEmbeddingGenerator();
        generator.Fit(Corpus);
        var before = generator.Embed("invoice refunds");

        generator.Fit(["invoice invoice", "invoice refunds", "invoice"]);

        Assert.NotEqual(before, generator.Embed("invoice refunds"));
    }

    [Fact]
    public void The_dimension_is_bounded()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new TfIdfEmbeddingGenerator(8));
        Assert.Equal("tfidf-256", new TfIdfEmbeddingGenerator(256).ModelId);
    }
}
