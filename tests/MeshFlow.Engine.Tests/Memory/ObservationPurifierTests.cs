using MeshFlow.Memory;

namespace MeshFlow.Tests.Memory;

public sealed class ObservationPurifierTests
{
    private static readonly ObservationPurifier Purifier = ObservationPurifier.Default;

    [Theory]
    [InlineData("Sure! Here is the summary:\nThe indemnity cap is two times the annual fees.", "The indemnity cap is two times the annual fees.")]
    [InlineData("Certainly, the notice period is thirty days.", "the notice period is thirty days.")]
    [InlineData("As an AI language model, I cannot give legal advice. The clause limits liability to direct damages.",
        "The clause limits liability to direct damages.")]
    [InlineData("The renewal is automatic unless cancelled in writing. I hope this helps! Let me know if you need anything else.",
        "The renewal is automatic unless cancelled in writing.")]
    [InlineData("Great question! The supplier bears shipping risk until delivery. Feel free to ask follow-up questions.",
        "The supplier bears shipping risk until delivery.")]
    [InlineData("Here is what I found: the lease ends in May. Here's a quick summary: rent rises by 3%.", "the lease ends in May. rent rises by 3%.")]
    [InlineData("I’d be happy to help with more drafting. The governing law is the law of Delaware.", "The governing law is the law of Delaware.")]
    public void Model_pleasantries_and_boilerplate_are_removed(string text, string expected) =>
        Assert.Equal(expected, Purifier.Purify(text));

    [Theory]
    [InlineData("Sure! Here you go.")]
    [InlineData("I hope this helps. Let me know if you have any other questions!")]
    [InlineData("OK.")]
    [InlineData("   \n\t  ")]
    [InlineData("")]
    [InlineData(null)]
    public void Text_with_nothing_worth_remembering_gives_null(string? text) =>
        Assert.Null(Purifier.Purify(text));

    [Fact]
    public void Repeated_sentences_and_lines_are_kept_once()
    {
        var text = """
            The vendor must encrypt data at rest. The vendor must encrypt data at rest.
            Audits happen once a year.
            the vendor must  encrypt data at rest!
            Audits happen once a year.
            """;

        Assert.Equal("The vendor must encrypt data at rest.\nAudits happen once a year.", Purifier.Purify(text));
    }

    [Fact]
    public void A_long_raw_json_blob_is_removed_and_the_prose_around_it_stays()
    {
        var text = """
            The lookup returned the customer's plan.
            {"id": "cus_123", "plan": {"name": "enterprise", "seats": 250, "renews": "2026-01-01"}, "flags": ["beta", "sso"], "region": "eu-west-1"}
            The customer is on the enterprise plan with 250 seats.
            """;

        Assert.Equal("The lookup returned the customer's plan.\nThe customer is on the enterprise plan with 250 seats.", Purifier.Purify(text));
    }

    [Fact]
    public void A_pretty_printed_json_blob_over_several_lines_is_removed()
    {
        var text = "Result follows.\n[\n  {\"name\": \"alpha\", \"value\": 1},\n  {\"name\": \"beta\", \"value\": 2},\n  {\"name\": \"gamma\", \"value\": 3},\n" +
            "  {\"name\": \"delta\", \"value\": 4}\n]\nFour records were found in the registry.";

        Assert.Equal("Result follows.\nFour records were found in the registry.", Purifier.Purify(text));
    }

    [Fact]
    public void Stack_traces_are_removed_and_the_error_message_stays()
    {
        var text = """
            The export failed: System.InvalidOperationException: the ledger is closed.
               at MeshFlow.Ledger.AuditLedger.AppendAsync(LedgerEntry entry) in /src/Ledger/AuditLedger.cs:line 120
               at MeshFlow.Steps.StepRecorder.RecordAsync(StepRecord step)
            --- End of stack trace from previous location ---
            Traceback (most recent call last):
              File "export.py", line 12, in <module>
                at handler (/app/server.js:10:15)
            Retrying the export tomorrow is the plan.
            """;

        Assert.Equal("The export failed: System.InvalidOperationException: the ledger is closed.\nRetrying the export tomorrow is the plan.",
            Purifier.Purify(text));
    }

    [Fact]
    public void Base64_runs_and_long_hex_ids_are_removed()
    {
        var text = "The signed document is aGVsbG8gd29ybGQgVGhpcyBpcyBhIHRlc3QgZG9jdW1lbnQgZm9yIE1lc2hGbG93IQ== and was filed " +
            "as 3f2a9c1e8b7d4a6f0e5c3b2a1d9e8f7c with trace 0b6f5e1a-2c3d-4e5f-8a9b-0c1d2e3f4a5b today.";

        Assert.Equal("The signed document is and was filed as with trace today.", Purifier.Purify(text));
    }

    [Fact]
    public void Progress_and_log_lines_are_removed()
    {
        var text = """
            Downloading model weights...
            [=====>      ] 45%
            100%
            Processing 3/10
            2026-12-07T18:30:00Z INFO Starting export
            [DEBUG] cache miss for key contracts
            info: Microsoft.Hosting.Lifetime[0]
            DEBUG: retry budget 3
            The export contains twelve contracts.
            """;

        Assert.Equal("The export contains twelve contracts.", Purifier.Purify(text));
    }

    [Fact]
    public void Markup_is_removed_and_its_text_kept()
    {
        var text = """
            ## Findings
            <p>The <b>termination</b> clause is <em>one-sided</em>.</p>
            - **Risk:** the buyer cannot terminate for convenience.
            1. See [the playbook](https://example.com/playbook) for the fallback.
            ```
            ---
            | Party | Role |
            |---|---|
            > Quoted: notice by email is valid.
            Ampersands &amp; entities are decoded.
            """;

        Assert.Equal(
            "Findings\nThe termination clause is one-sided.\nRisk: the buyer cannot terminate for convenience.\nSee the playbook for the fallback.\n" +
            "Party; Role\nQuoted: notice by email is valid.\nAmpersands & entities are decoded.",
            Purifier.Purify(text));
    }

    [Fact]
    public void Whitespace_is_collapsed()
    {
        Assert.Equal("The deposit is due on signing.", Purifier.Purify("  The deposit \t is   due\u00A0on signing.  \n\n\n"));
    }

    [Fact]
    public void A_long_text_is_cut_at_the_last_sentence_end_that_fits()
    {
        var purifier = new ObservationPurifier(maxLength: 100);
        var text = "The first sentence says something useful here. The second sentence also carries a fact worth keeping. " +
            "The third sentence will not fit within the limit at all.";

        var purified = purifier.Purify(text);

        Assert.Equal("The first sentence says something useful here.", purified);
    }

    [Fact]
    public void A_first_sentence_longer_than_the_cap_is_cut_at_a_word_and_marked()
    {
        var purifier = new ObservationPurifier(maxLength: 80);
        var text = string.Join(' ', Enumerable.Repeat("indemnification", 12)) + ".";

        var purified = purifier.Purify(text)!;

        Assert.True(purified.Length <= 80, purified);
        Assert.EndsWith("indemnification…", purified, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Make sure the clause names both parties and the effective date.")]
    [InlineData("The contract here is governed by the laws of Ontario.")]
    [InlineData("Revenue grew 3.5% to $4.2 million in Q3, e.g. from renewals.")]
    [InlineData("50% of claims were denied in 2023.")]
    [InlineData("The response was {\"ok\": true} for the short check.")]
    [InlineData("Debug the parser before the release on Friday.")]
    [InlineData("Here are the three risks: late delivery, price changes and currency exposure.")]
    [InlineData("The buyer signs at [..........] on the closing date.")]
    [InlineData("Great progress was made on the merger filing this week.")]
    [InlineData("Processing of refunds takes five business days.")]
    [InlineData("Config lives in /usr/lib/postgresql/15/bin/and/some/longer/path/here.")]
    [InlineData("The file some-long-hyphenated-resource-name-for-the-2024-filing was sent.")]
    public void Ordinary_prose_is_left_alone(string text) =>
        Assert.Equal(text, Purifier.Purify(text));

    [Fact]
    public void Purifying_is_deterministic_and_idempotent()
    {
        var text = "Sure! The lease ends in March. The lease ends in March. I hope this helps.";

        var once = Purifier.Purify(text);

        Assert.Equal(once, Purifier.Purify(text));
        Assert.Equal(once, Purifier.Purify(once));
        Assert.Equal("The lease ends in March.", once);
    }
}
