using System.Text;
using System.Text.Json.Nodes;
using MeshFlow.Ledger.Evidence;

namespace MeshFlow.Tests.Ledger.Evidence;

/// <summary>Files that are not bundles this version reads: one clear line from both verifiers (exit code 2 from Python), naming the same field.</summary>
public sealed class EvidenceReaderTests(EvidenceRunFixture fixture) : IClassFixture<EvidenceRunFixture>
{
    private readonly EvidenceRuns _runs = fixture.Runs;
    private readonly string _bundle = fixture.Bundle;

    private const string NotABundle = "not a MeshFlow evidence bundle";

    private const string Unsupported = "unsupported evidence bundle format \"meshflow-evidence/2\": this verifier reads meshflow-evidence/1";

    [Theory]
    [InlineData("[1, 2]", "not a MeshFlow evidence bundle: it is not a JSON object", NotABundle)]
    [InlineData("{}", "not a MeshFlow evidence bundle: it has no \"format\" field", NotABundle)]
    [InlineData("{\"format\": 1}", "not a MeshFlow evidence bundle: its format is not a string", NotABundle)]
    [InlineData("{\"format\": \"cyclonedx/1.5\"}", "not a MeshFlow evidence bundle: its format is \"cyclonedx/1.5\"", NotABundle)]
    [InlineData("{\"format\": \"meshflow-evidence/2\"}", Unsupported, Unsupported)]
    [InlineData("{\"format\": \"meshflow-evidence/1\"}", "invalid evidence bundle: tenant_id is missing", "invalid evidence bundle: tenant_id ")]
    [InlineData("{\"format\": \"meshflow-evidence/1\", \"format\": \"x\"}", "not a MeshFlow evidence bundle: a JSON object has the field 'format' twice", NotABundle)]
    [InlineData("{\"format\": \"meshflow-evidence/1\", \"tenant_id\": \"\\ud800\"}", "not a MeshFlow evidence bundle: a JSON string is not well-formed Unicode", NotABundle)]
    public async Task A_file_that_is_not_a_bundle_is_named_as_such_in_one_line(string json, string message, string pythonPrefix)
    {
        await AssertRefusedAsync(Encoding.UTF8.GetBytes(json), message, pythonPrefix);
    }

    [Theory]
    [InlineData("hello")]
    [InlineData("{\"format\": NaN}")]
    [InlineData("{\"format\": \"meshflow-evidence/1\",}")]
    public async Task Text_that_is_not_json_is_not_a_bundle(string text)
    {
        await AssertRefusedAsync(Encoding.UTF8.GetBytes(text), "not a MeshFlow evidence bundle: it is not JSON (", NotABundle, prefixOnly: true);
    }

    [Fact]
    public async Task Bytes_that_are_not_utf8_are_not_a_bundle_and_csharp_reads_no_deeper_than_64_levels()
    {
        var bundle = JsonNode.Parse(_bundle)!.AsObject();
        bundle["extra"] = JsonNode.Parse(new string('[', 64) + new string(']', 64));
        var deep = bundle.ToJsonString();
        bundle["extra"] = JsonNode.Parse(new string('[', 63) + new string(']', 63));

        var error = Assert.Throws<EvidenceFormatException>(() => EvidenceBundles.Read(deep));
        Assert.StartsWith("not a MeshFlow evidence bundle: it is not JSON (", error.Message, StringComparison.Ordinal);
        Assert.True((await _runs.VerifyBothAsync(bundle.ToJsonString())).Valid);
        await AssertRefusedAsync([.. "{\"format\": \"meshflow-evidence/1\", \"tenant_id\": \""u8, 0xFF, .. "\"}"u8], "not a MeshFlow evidence bundle: ", NotABundle, prefixOnly: true);
    }

    [Theory]
    [InlineData("records[1].entry_hash", null, "invalid evidence bundle: records[1].entry_hash is missing")]
    [InlineData("records[0].header.seq", "\"1\"", "invalid evidence bundle: records[0].header.seq must be an integer")]
    [InlineData("records[0].header.seq", "1.0", "invalid evidence bundle: records[0].header.seq must be an integer")]
    [InlineData("records[2].header.prev_hash", "null", "invalid evidence bundle: records[2].header.prev_hash must be a string")]
    [InlineData("records[2].header", "[]", "invalid evidence bundle: records[2].header must be an object")]
    [InlineData("records[3].payload", "null", "invalid evidence bundle: records[3].payload must be a string (payloads are \"included\")")]
    [InlineData("records[3].redacted", "0", "invalid evidence bundle: records[3].redacted must be true or false")]
    [InlineData("payloads", "\"some\"", "invalid evidence bundle: payloads must be \"included\" or \"hashes_only\"")]
    [InlineData("records", "{}", "invalid evidence bundle: records must be an array")]
    [InlineData("head", null, "invalid evidence bundle: head is missing")]
    [InlineData("head", "1", "invalid evidence bundle: head must be an object or null")]
    [InlineData("head.seq", "0", "invalid evidence bundle: head.seq must be a positive integer")]
    [InlineData("head.signature", "\"c2lnbmF0dXJl\\n\"", "invalid evidence bundle: head.signature must be base64")]
    [InlineData("public_keys", "[]", "invalid evidence bundle: public_keys must be an object")]
    public async Task A_bundle_missing_a_field_or_holding_one_of_the_wrong_type_names_it_by_its_json_path(string path, string? json, string message)
    {
        var bundle = JsonNode.Parse(_bundle)!.AsObject();
        var (parent, name) = Locate(bundle, path);
        if (json is null)
        {
            parent.AsObject().Remove(name);
        }
        else
        {
            parent[name] = JsonNode.Parse(json);
        }

        await AssertRefusedAsync(Encoding.UTF8.GetBytes(bundle.ToJsonString()), message, $"invalid evidence bundle: {path} ");
    }

    [Fact]
    public async Task A_signed_at_not_written_as_the_ledger_writes_it_is_refused_in_CSharp_and_fails_the_signature_in_python()
    {
        var bundle = JsonNode.Parse(_bundle)!.AsObject();
        var signedAt = (string)bundle["head"]!["signed_at"]!;
        bundle["head"]!["signed_at"] = signedAt.Replace("Z", "0Z", StringComparison.Ordinal);

        var path = _runs.WriteFile("signed-at.json", bundle.ToJsonString());
        var error = Assert.Throws<EvidenceFormatException>(() => EvidenceBundles.ReadFile(path));
        var python = await PythonVerifier.VerifyAsync(path);

        Assert.Equal("invalid evidence bundle: head.signed_at must be a UTC timestamp yyyy-MM-ddTHH:mm:ss.fffZ", error.Message);
        Assert.Equal((1, "invalid: record 8: bad_head_signature (the head's signature does not verify)"), (python.ExitCode, python.Line));
    }

    [Fact]
    public async Task A_public_key_that_is_not_base64_a_payload_in_a_hashes_only_bundle_and_a_bom_are_judged_alike()
    {
        var bundle = JsonNode.Parse(_bundle)!.AsObject();
        var keyId = bundle["public_keys"]!.AsObject().Single().Key;
        bundle["public_keys"]![keyId] = "not base64!";
        await AssertRefusedAsync(Encoding.UTF8.GetBytes(bundle.ToJsonString()), $"invalid evidence bundle: public_keys[\"{keyId}\"] must be base64",
            $"invalid evidence bundle: public_keys[\"{keyId}\"] ");

        bundle = JsonNode.Parse(_bundle)!.AsObject();
        bundle["payloads"] = "hashes_only";
        await AssertRefusedAsync(Encoding.UTF8.GetBytes(bundle.ToJsonString()), "invalid evidence bundle: records[0].payload must be null (payloads are \"hashes_only\")",
            "invalid evidence bundle: records[0].payload ");

        var path = _runs.WriteFile("bom.json", "\uFEFF" + _bundle);
        Assert.Equal([0xEF, 0xBB, 0xBF], File.ReadAllBytes(path)[..3]);
        Assert.True(EvidenceBundles.Verify(EvidenceBundles.ReadFile(path)).Valid);
        Assert.Equal(0, (await PythonVerifier.VerifyAsync(path)).ExitCode);
    }

    [Fact]
    public async Task Unknown_top_level_fields_are_ignored_by_both()
    {
        var bundle = JsonNode.Parse(_bundle)!.AsObject();
        bundle["comment"] = "exported for the auditors";

        Assert.True((await _runs.VerifyBothAsync(bundle)).Valid);
    }

    // C# gives its exact message; Python's one line starts with pythonPrefix (after "error: ") and it exits with 2.
    private async Task AssertRefusedAsync(byte[] file, string message, string pythonPrefix, bool prefixOnly = false)
    {
        var path = Path.Combine(Path.GetDirectoryName(_runs.WriteFile("placeholder", string.Empty))!, Guid.NewGuid().ToString("N") + ".json");
        await File.WriteAllBytesAsync(path, file, TestContext.Current.CancellationToken);

        var error = Assert.Throws<EvidenceFormatException>(() => EvidenceBundles.ReadFile(path));
        var python = await PythonVerifier.VerifyAsync(path);

        Assert.Equal(2, python.ExitCode);
        Assert.DoesNotContain('\n', error.Message);
        Assert.DoesNotContain('\n', python.Line);
        Assert.StartsWith("error: " + pythonPrefix, python.Line, StringComparison.Ordinal);
        if (prefixOnly)
        {
            Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(message, error.Message);
        }

        Assert.Throws<EvidenceFormatException>(() => EvidenceBundles.Read(file.AsMemory()));
    }

    // A path such as records[1].header.seq: the node that holds the last name, and that name.
    private static (JsonNode Parent, string Name) Locate(JsonObject bundle, string path)
    {
        JsonNode node = bundle;
        var parts = path.Split('.');
        foreach (var part in parts[..^1])
        {
            node = Step(node, part);
        }

        return (node, parts[^1]);

        static JsonNode Step(JsonNode node, string part)
        {
            var bracket = part.IndexOf('[', StringComparison.Ordinal);
            return bracket < 0 ? node[part]! : node[part[..bracket]]![int.Parse(part[(bracket + 1)..^1], System.Globalization.CultureInfo.InvariantCulture)]!;
        }
    }
}
