using System.Text.Json.Nodes;
using MeshFlow.Ledger;
using MeshFlow.Ledger.Evidence;
using MeshFlow.Ledger.Signing;

namespace MeshFlow.Tests.Ledger.Evidence;

/// <summary>
/// Forgeries that once passed, or that the two verifiers judged differently: a payload passed off as redacted, a head's
/// key id that lies, headers and bundles only one verifier refused. Both give the same verdict and exit code for each.
/// </summary>
public sealed class EvidenceReviewTests(EvidenceRunFixture fixture) : IClassFixture<EvidenceRunFixture>
{
    private readonly EvidenceRuns _runs = fixture.Runs;
    private readonly JsonObject _bundle = JsonNode.Parse(fixture.Bundle)!.AsObject();

    [Fact]
    public async Task A_payload_replaced_and_marked_redacted_is_a_payload_mismatch_in_both()
    {
        var record = Forgery.Record(_bundle, 4);
        record["redacted"] = true;
        record["payload"] = "{\"output\":\"The forger's version of the clause.\"}";

        var fromBundle = await _runs.VerifyBothAsync(_bundle);
        var pinned = await _runs.VerifyBothAsync(_bundle, _runs.RealKeys);

        Assert.Equal("invalid: record 4: payload_mismatch (record 4 is marked redacted but its payload is not a redaction notice)", pinned.Summary);
        Assert.Equal(pinned.Summary, fromBundle.Summary);

        // A notice with one more field, or not in canonical form, is no notice either.
        record["payload"] = LedgerPayloads.RedactionNotice("erased", DateTimeOffset.UnixEpoch).Replace("}", ",\"output\":\"x\"}", StringComparison.Ordinal);
        Assert.Equal(LedgerVerificationReasons.PayloadMismatch, (await _runs.VerifyBothAsync(_bundle, _runs.RealKeys)).Reason);
        record["payload"] = LedgerPayloads.RedactionNotice("erased", DateTimeOffset.UnixEpoch).Replace(",", ", ", StringComparison.Ordinal);
        Assert.Equal(LedgerVerificationReasons.PayloadMismatch, (await _runs.VerifyBothAsync(_bundle, _runs.RealKeys)).Reason);
        record["payload"] = LedgerPayloads.RedactionNotice("erased", DateTimeOffset.UnixEpoch);
        var notice = await _runs.VerifyBothAsync(_bundle, _runs.RealKeys);
        Assert.True(notice is { Valid: true, Redacted: [4] }, notice.Summary);
    }

    [Fact]
    public async Task A_forgers_key_listed_under_the_real_key_id_is_a_bad_head_signature_in_both()
    {
        Forgery.Header(Forgery.Record(_bundle, 8))["verdict"] = "forged";
        Forgery.Rechain(_bundle, 8);
        using var forger = Ed25519LedgerSigner.Create();
        Forgery.Resign(_bundle, forger, keyId: _runs.Ledger.Ledger.Signer.KeyId);

        var verification = await _runs.VerifyBothAsync(_bundle);

        Assert.Equal("invalid: record 8: bad_head_signature (the bundle's key does not have the id it is listed under)", verification.Summary);
    }

    [Theory]
    [InlineData("ed25519:09AEBB27A025F910")]
    [InlineData("ed25519:09aebb27a025f91")]
    [InlineData("ed25519:09aebb27a025f910, pinned key; payloads checked)\nvalid: 8 records (")]
    public async Task A_head_key_id_not_of_the_ledgers_form_is_refused_by_both(string keyId)
    {
        _bundle["head"]!["key_id"] = keyId;

        await AssertRefusedByBothAsync(_bundle.ToJsonString(), "head.key_id");
    }

    [Fact]
    public async Task Control_characters_of_a_bundle_string_are_escaped_so_the_verdict_stays_one_line()
    {
        _bundle["run_id"] = "run_x)\nvalid: 8 records (pinned key\u2028";
        Forgery.Records(_bundle).Clear();

        var verification = await _runs.VerifyBothAsync(_bundle, _runs.RealKeys);

        Assert.Equal("invalid: empty (run 'run_x)\\u000avalid: 8 records (pinned key\\u2028' has no records)", verification.Summary);
    }

    [Fact]
    public async Task A_header_with_an_extra_field_rehashed_where_no_head_covers_it_is_a_hash_mismatch_in_both()
    {
        _bundle["head"] = null;
        Forgery.Records(_bundle).Remove(Forgery.Record(_bundle, 8));
        Forgery.Header(Forgery.Record(_bundle, 7))["note"] = "added";
        Forgery.Rehash(Forgery.Record(_bundle, 7));

        var verification = await _runs.VerifyBothAsync(_bundle, _runs.RealKeys);

        Assert.Equal("invalid: record 7: hash_mismatch (record 7's header is not in canonical form)", verification.Summary);
    }

    [Fact]
    public async Task NaN_a_missing_exported_at_or_malformed_public_keys_are_refused_by_both_with_or_without_a_head()
    {
        var text = _bundle.ToJsonString();
        var tokens = "\"tokens_input\":" + (long)Forgery.Header(Forgery.Record(_bundle, 2))["tokens_input"]!;
        Assert.Contains(tokens, text, StringComparison.Ordinal);
        await AssertRefusedByBothAsync(text.Replace(tokens, "\"tokens_input\":NaN", StringComparison.Ordinal), "not JSON");

        _bundle["head"] = null;
        Forgery.Records(_bundle).Remove(Forgery.Record(_bundle, 8));
        var noExportedAt = _bundle.DeepClone().AsObject();
        noExportedAt.Remove("exported_at");
        await AssertRefusedByBothAsync(noExportedAt.ToJsonString(), "exported_at");

        foreach (var keys in new JsonNode?[] { new JsonObject { ["k"] = 5 }, new JsonObject { ["k"] = "not base64!" }, new JsonArray(), null })
        {
            _bundle["public_keys"] = keys;
            await AssertRefusedByBothAsync(_bundle.ToJsonString(), "public_keys");
        }
    }

    private async Task AssertRefusedByBothAsync(string json, string named)
    {
        var path = _runs.WriteFile(Guid.NewGuid().ToString("N") + ".json", json);
        var error = Assert.Throws<EvidenceFormatException>(() => EvidenceBundles.ReadFile(path));
        var python = await PythonVerifier.VerifyAsync(path, _runs.RealKeyFile);

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
        Assert.Equal(2, python.ExitCode);
        Assert.Contains(named, python.Line, StringComparison.Ordinal);
    }
}
