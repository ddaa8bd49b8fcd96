using System.Text;
using MeshFlow.Privacy;

namespace MeshFlow.Tests.Privacy;

/// <summary>Input no note holds: empty, a mebibyte of one character class, broken Unicode. Each finishes and never throws.</summary>
public sealed class PhiBadInputTests
{
    private const int Mebibyte = 1 << 20;

    public static TheoryData<string> Floods => new()
    {
        "0123456789",
        "1",
        "1.",
        "1-",
        "1 ",
        ":",
        "a:",
        "1:",
        "a",
        "A",
        "Aa ",
        "Dr. Aa ",
        "a.",
        "a@",
        "\\",
        "\\u",
        "www.",
        "xhttp://",
        "http://",
        "MRN ",
        "(01)1",
        "A1",
    };

    [Fact]
    public void The_empty_string_has_nothing_to_scrub()
    {
        Assert.Empty(PhiScrubber.Find(string.Empty));
        Assert.Same(string.Empty, PhiScrubber.Scrub(string.Empty, out var count));
        Assert.Equal(0, count);
    }

    [Theory]
    [MemberData(nameof(Floods))]
    public void A_mebibyte_of_one_repeated_piece_is_scrubbed(string piece)
    {
        var text = Repeat(piece, Mebibyte);

        var scrubbed = PhiScrubber.Scrub(text, out var count);

        Assert.True(count >= 0);
        Assert.NotNull(scrubbed);
    }

    [Fact]
    public void A_mebibyte_of_at_signs_ends_in_one_address()
    {
        var text = Repeat("a", Mebibyte) + "@example.com";

        var match = Assert.Single(PhiScrubber.Find(text));

        Assert.Equal(PhiType.Email, match.Type);
        Assert.Equal(text.Length, match.Start + match.Length);
    }

    [Fact]
    public void A_URL_followed_by_a_mebibyte_of_closing_brackets_keeps_none_of_them()
    {
        var text = "See https://example.org/a" + new string(')', Mebibyte);

        var match = Assert.Single(PhiScrubber.Find(text));

        Assert.Equal(new PhiMatch(4, "https://example.org/a".Length, PhiType.Url), match);
    }

    [Fact]
    public void A_mebibyte_of_clinical_notes_is_scrubbed_completely()
    {
        var note = PhiCorpus.All.First(sample => sample.Labels.Count >= 5);
        var copies = Mebibyte / (note.Text.Length + 1);
        var text = string.Join('\n', Enumerable.Repeat(note.Text, copies));

        PhiScrubber.Scrub(text, out var count);

        Assert.Equal(copies * PhiScrubber.Find(note.Text).Count, count);
    }

    [Fact]
    public void Lone_surrogates_stay_where_they_are()
    {
        const string text = "\uD800SSN 123-45-6789\uDC00 wrote \uDBFF\uD800 Dr. Smith \uDFFF";

        var scrubbed = PhiScrubber.Scrub(text, out var count);

        Assert.Equal("\uD800SSN [PHI-REDACTED:SSN]\uDC00 wrote \uDBFF\uD800 Dr. [PHI-REDACTED:NAME] \uDFFF", scrubbed);
        Assert.Equal(2, count);
    }

    [Fact]
    public void Bytes_that_are_not_UTF8_decode_to_replacement_characters_around_the_identifiers()
    {
        byte[] bytes =
        [
            0xFF, 0xFE, .. "DOB "u8, 0xC3, 0x28, .. "03/14/1962"u8, 0xE2, 0x82, .. " call "u8, 0xF0, 0x9F, 0x98, .. "617-555-0142"u8,
            0xED, 0xA0, 0x80, 0xC0, 0xAF,
        ];
        var text = Encoding.UTF8.GetString(bytes);

        var scrubbed = PhiScrubber.Scrub(text, out var count);

        Assert.Contains('\uFFFD', scrubbed);
        Assert.Contains("[PHI-REDACTED:DATE]", scrubbed, StringComparison.Ordinal);
        Assert.Contains("[PHI-REDACTED:PHONE]", scrubbed, StringComparison.Ordinal);
        Assert.Equal(2, count);
    }

    [Theory]
    [InlineData("١٢٣-٤٥-٦٧٨٩ ٠٣/١٤/١٩٦٢")]
    [InlineData("１２３-４５-６７８９")]
    [InlineData("\u202Eevil\u202C \u200D\u200B\uFEFF")]
    [InlineData("e\u0301\u0301\u0301 A\u0300a\u0300 Dr. \u0301")]
    [InlineData("\0\u0001\u001F\u007F")]
    public void Digits_and_marks_of_other_scripts_are_left_alone(string text) => PhiShapeTests.AssertNothing(text);

    private static string Repeat(string piece, int length)
    {
        var builder = new StringBuilder(length + piece.Length);
        while (builder.Length < length)
        {
            builder.Append(piece);
        }

        return builder.ToString();
    }
}
