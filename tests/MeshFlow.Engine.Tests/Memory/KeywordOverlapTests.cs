using MeshFlow.Memory;

namespace MeshFlow.Tests.Memory;

public sealed class KeywordOverlapTests
{
    [Fact]
    public void Words_are_lower_cased_without_stop_words_or_plural_s()
    {
        var words = KeywordOverlap.Words("The Contracts of the vendors, and their status: IN REVIEW.");

        Assert.Equal(["contract", "review", "status", "vendor"], words.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Relevance_is_zero_without_shared_content_words_and_one_for_the_same_words()
    {
        var query = KeywordOverlap.Words("What is the notice period?");

        Assert.Equal(0, KeywordOverlap.Relevance(query, KeywordOverlap.Words("The invoice is overdue.")));
        Assert.Equal(1, KeywordOverlap.Relevance(query, KeywordOverlap.Words("notice period")), 6);
        Assert.Equal(0, KeywordOverlap.Relevance(KeywordOverlap.Words("the of and"), KeywordOverlap.Words("the of and")));
    }

    [Fact]
    public void Relevance_ranks_the_text_sharing_more_words_first()
    {
        var query = KeywordOverlap.Words("termination notice period for the supplier");

        var close = KeywordOverlap.Relevance(query, KeywordOverlap.Words("The supplier's termination notice period is 30 days."));
        var far = KeywordOverlap.Relevance(query, KeywordOverlap.Words("The notice must be in writing."));

        Assert.True(close > far, $"{close} <= {far}");
        Assert.True(far > 0);
    }

    [Fact]
    public void Similarity_is_the_share_of_all_words_both_have()
    {
        var first = KeywordOverlap.Words("alpha beta gamma delta");
        var second = KeywordOverlap.Words("alpha beta gamma epsilon");

        Assert.Equal(3.0 / 5, KeywordOverlap.Similarity(first, second), 6);
        Assert.Equal(1, KeywordOverlap.Similarity(first, first));
    }
}
