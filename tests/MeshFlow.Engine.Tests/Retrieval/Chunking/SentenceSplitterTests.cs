using MeshFlow.Retrieval.Chunking;

namespace MeshFlow.Tests.Retrieval.Chunking;

public sealed class SentenceSplitterTests
{
    // Each case is text and the sentences expected, separated by '|'. Most are cases a split on '.' gets wrong.
    [Theory]
    [InlineData("The cat sat. The dog ran.", "The cat sat.|The dog ran.")]
    [InlineData("Dr. Smith saw Mr. Jones and Mrs. Patel today. They agreed.", "Dr. Smith saw Mr. Jones and Mrs. Patel today.|They agreed.")]
    [InlineData("Bring fruit, e.g. apples. Also bring water.", "Bring fruit, e.g. apples.|Also bring water.")]
    [InlineData("Use a field, i.e. a column. Then index it.", "Use a field, i.e. a column.|Then index it.")]
    [InlineData("Pens, paper, etc. are provided. Lunch is not.", "Pens, paper, etc. are provided.|Lunch is not.")]
    [InlineData("We sell pens, paper, etc. The shop opens at nine.", "We sell pens, paper, etc.|The shop opens at nine.")]
    [InlineData("It was Smith vs. Jones in court. Smith won.", "It was Smith vs. Jones in court.|Smith won.")]
    [InlineData("She moved to the U.S. last year. She likes it.", "She moved to the U.S. last year.|She likes it.")]
    [InlineData("Acme Inc. hired him. He starts Monday.", "Acme Inc. hired him.|He starts Monday.")]
    [InlineData("See item No. 5 on the list. It is urgent.", "See item No. 5 on the list.|It is urgent.")]
    [InlineData("Pi is about 3.14 in most sums. Use more digits in physics.", "Pi is about 3.14 in most sums.|Use more digits in physics.")]
    [InlineData("The coffee costs $4.50 today. Tea is cheaper.", "The coffee costs $4.50 today.|Tea is cheaper.")]
    [InlineData("The total is $4.50. Pay at the desk.", "The total is $4.50.|Pay at the desk.")]
    [InlineData("J. R. R. Tolkien wrote it. Everyone read it.", "J. R. R. Tolkien wrote it.|Everyone read it.")]
    [InlineData("I was thinking... maybe not. Then he left.", "I was thinking... maybe not.|Then he left.")]
    [InlineData("Wait for it… Now go.", "Wait for it…|Now go.")]
    [InlineData("He said \"Stop.\" Then he left.", "He said \"Stop.\"|Then he left.")]
    [InlineData("(This is an aside.) The main point follows.", "(This is an aside.)|The main point follows.")]
    [InlineData("Really?! Yes, really.", "Really?!|Yes, really.")]
    [InlineData("Visit https://example.com/docs/v1.2/index.html for details. It is free.", "Visit https://example.com/docs/v1.2/index.html for details.|It is free.")]
    [InlineData("Go to example.org. Sign up there.", "Go to example.org.|Sign up there.")]
    [InlineData("Write to jane.doe@clinic.example.org with questions. She answers daily.", "Write to jane.doe@clinic.example.org with questions.|She answers daily.")]
    [InlineData("Heading without a period\n\nFirst paragraph text. Second sentence.", "Heading without a period|First paragraph text.|Second sentence.")]
    [InlineData("A line\nthat wraps. Still one sentence per period.", "A line\nthat wraps.|Still one sentence per period.")]
    [InlineData("Version 2.0.1 shipped. It fixed bugs.", "Version 2.0.1 shipped.|It fixed bugs.")]
    [InlineData("No. That is wrong.", "No.|That is wrong.")]
    [InlineData("Prof. Adams (see Fig. 3) disagrees. Others agree.", "Prof. Adams (see Fig. 3) disagrees.|Others agree.")]
    [InlineData("   ", "")]
    [InlineData("No terminal punctuation", "No terminal punctuation")]
    public void Splits_sentences_where_they_end(string text, string expected)
    {
        var sentences = SentenceSplitter.SplitToStrings(text);

        Assert.Equal(expected.Length == 0 ? [] : expected.Split('|'), sentences);
    }

    [Fact]
    public void Ranges_are_exact_and_trimmed_substrings_in_order()
    {
        const string text = "  First one.   Second one!\n\n  Third?  ";

        var ranges = SentenceSplitter.Split(text);

        Assert.Equal(["First one.", "Second one!", "Third?"], ranges.Select(range => text[range]));
        var offsets = ranges.Select(range => range.Start.Value).ToList();
        Assert.Equal(offsets.Order(), offsets);
    }
}
