using System.Text.Json;
using MeshFlow.Privacy;

namespace MeshFlow.Tests.Privacy;

public sealed class PhiScrubberTests
{
    [Fact]
    public void Each_type_has_its_marker()
    {
        string[] names = ["NAME", "DATE", "PHONE", "FAX", "EMAIL", "SSN", "MRN", "HEALTH_PLAN", "ACCOUNT", "LICENSE", "VEHICLE", "DEVICE", "IP", "URL", "ZIP", "CARD"];

        Assert.Equal(names.Select(name => $"[PHI-REDACTED:{name}]"), Enum.GetValues<PhiType>().Select(PhiScrubber.Marker));
    }

    [Fact]
    public void Scrub_replaces_each_identifier_with_its_marker_and_counts_them()
    {
        var scrubbed = PhiScrubber.Scrub("Pt Maria Garcia, DOB 03/14/1962, SSN 123-45-6789; WBC 7.2.", out var count);

        Assert.Equal("Pt [PHI-REDACTED:NAME], DOB [PHI-REDACTED:DATE], SSN [PHI-REDACTED:SSN]; WBC 7.2.", scrubbed);
        Assert.Equal(3, count);
    }

    [Fact]
    public void Scrub_returns_the_same_instance_when_nothing_is_found()
    {
        var text = string.Concat("WBC 7.2, Hgb 13.5; version ", "2.0.1");

        Assert.Same(text, PhiScrubber.Scrub(text, out var count));
        Assert.Equal(0, count);
        Assert.Same(string.Empty, PhiScrubber.Scrub(string.Empty));
    }

    [Fact]
    public void Overlapping_recognitions_become_one_match_of_the_type_that_contains_the_others()
    {
        const string text = "PACS http://10.1.2.3:8080/study/4481 opened";

        var match = Assert.Single(PhiScrubber.Find(text));

        Assert.Equal(new PhiMatch(5, "http://10.1.2.3:8080/study/4481".Length, PhiType.Url), match);
    }

    [Fact]
    public void Scrubbed_text_scrubs_to_itself()
    {
        foreach (var sample in PhiCorpus.All)
        {
            var scrubbed = PhiScrubber.Scrub(sample.Text);
            Assert.Same(scrubbed, PhiScrubber.Scrub(scrubbed));
        }
    }

    [Fact]
    public void Matches_never_overlap_and_come_in_order()
    {
        foreach (var sample in PhiCorpus.All)
        {
            var found = PhiScrubber.Find(sample.Text);
            for (var i = 1; i < found.Count; i++)
            {
                Assert.True(found[i - 1].Start + found[i - 1].Length <= found[i].Start, sample.Text);
            }
        }
    }

    [Fact]
    public void No_match_holds_a_double_quote_or_a_backslash()
    {
        foreach (var sample in PhiCorpus.All)
        {
            var json = JsonSerializer.Serialize(sample.Text);
            foreach (var match in PhiScrubber.Find(json))
            {
                Assert.DoesNotContain('"', json.AsSpan(match.Start, match.Length).ToString());
                Assert.DoesNotContain('\\', json.AsSpan(match.Start, match.Length).ToString());
            }
        }
    }

    [Fact]
    public void Scrubbing_the_text_of_a_JSON_document_leaves_valid_JSON_without_the_identifiers()
    {
        var document = JsonSerializer.Serialize(new
        {
            note = "Line one.\nDr. Jane Smith called \"617-555-0142\"\n\tSSN 123-45-6789\\",
            email = "\nmaria.garcia@example.com",
            dob = "03/14/1962",
            card = "4111 1111 1111 1111",
            link = "https://portal.example.org/p?id=42&x=\"1\"",
            accented = "é jane@example.com",
        });

        var scrubbed = PhiScrubber.Scrub(document, out var count);

        using var parsed = JsonDocument.Parse(scrubbed);
        var text = string.Join(" ", parsed.RootElement.EnumerateObject().Select(property => property.Value.GetString()));
        foreach (var identifier in new[] { "Jane Smith", "617-555-0142", "123-45-6789", "maria.garcia", "03/14/1962", "4111", "portal.example", "jane@" })
        {
            Assert.DoesNotContain(identifier, text, StringComparison.Ordinal);
        }

        Assert.Equal(8, count);
    }

    [Fact]
    public void Every_corpus_sample_scrubbed_inside_a_JSON_string_stays_valid_JSON()
    {
        foreach (var sample in PhiCorpus.All)
        {
            var scrubbed = PhiScrubber.Scrub(JsonSerializer.Serialize(new { text = sample.Text }));
            using var parsed = JsonDocument.Parse(scrubbed);
            Assert.Equal(JsonValueKind.String, parsed.RootElement.GetProperty("text").ValueKind);
        }
    }

    [Fact]
    public void Null_is_refused() => Assert.Throws<ArgumentNullException>(() => PhiScrubber.Find(null!));
}
