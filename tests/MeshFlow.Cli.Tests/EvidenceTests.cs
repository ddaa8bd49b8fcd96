using System.Text.Json;
using System.Text.Json.Nodes;
using MeshFlow.Cli.Tests.Support;
using MeshFlow.Ledger.Signing;

namespace MeshFlow.Cli.Tests;

/// <summary><c>meshflow export</c> and <c>meshflow verify</c> on the embedded ledger, each test with its own data folder.</summary>
public sealed class EvidenceTests
{
    [Fact]
    public async Task An_exported_bundle_verifies_and_the_python_verifier_reaches_the_same_verdict()
    {
        using var folder = new TempDirectory();
        var runId = await RunAsync(folder);
        var bundle = await ExportAsync(folder, runId);
        var key = await LedgerKeyAsync(folder);

        var fromBundle = await Cli(folder, ["verify", bundle]);
        var pinned = await Cli(folder, ["verify", bundle, "--public-key", key]);
        var python = await PythonVerifier.VerifyAsync(bundle, key, TestContext.Current.CancellationToken);

        CliAssert.Succeeds(fromBundle);
        Assert.StartsWith("valid: 8 records (head signed at seq 8 by ed25519:", fromBundle.Output, StringComparison.Ordinal);
        Assert.Contains("key from the bundle, not pinned", fromBundle.Output, StringComparison.Ordinal);
        Assert.Contains("warning: the head was checked against the key inside the bundle", fromBundle.Error, StringComparison.Ordinal);

        CliAssert.Succeeds(pinned);
        Assert.Contains("pinned key; payloads checked", pinned.Output, StringComparison.Ordinal);
        Assert.Empty(pinned.Error);
        Assert.True(python.ExitCode == 0, python.ToString());
        Assert.Equal(pinned.Output.Trim(), python.Output.Trim());
    }

    [Fact]
    public async Task A_payload_changed_by_one_byte_is_rejected_at_its_record_by_both_verifiers()
    {
        using var folder = new TempDirectory();
        var runId = await RunAsync(folder);
        var bundle = await ExportAsync(folder, runId);
        var key = await LedgerKeyAsync(folder);
        var tampered = folder.File("tampered.json");
        var json = JsonNode.Parse(await File.ReadAllTextAsync(bundle, TestContext.Current.CancellationToken))!;
        var record = json["records"]![1]!;
        var payload = record["payload"]!.GetValue<string>();
        var at = payload.IndexOf("offline model", StringComparison.Ordinal);
        record["payload"] = payload[..at] + "O" + payload[(at + 1)..];
        await File.WriteAllTextAsync(tampered, json.ToJsonString(), TestContext.Current.CancellationToken);

        var result = await Cli(folder, ["verify", tampered, "--public-key", key]);
        var python = await PythonVerifier.VerifyAsync(tampered, key, TestContext.Current.CancellationToken);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal("invalid: record 2: payload_mismatch (record 2's payload does not match its payload_hash)", result.Output.Trim());
        CliAssert.NoStackTrace(result);
        Assert.True(python.ExitCode == 1, python.ToString());
        Assert.Equal(result.Output.Trim(), python.Output.Trim());
    }

    [Fact]
    public async Task A_bundle_checked_against_a_key_that_did_not_sign_it_is_rejected()
    {
        using var folder = new TempDirectory();
        var bundle = await ExportAsync(folder, await RunAsync(folder));
        using var stranger = Ed25519LedgerSigner.Create();
        var wrongKey = folder.File("stranger.pub");
        await File.WriteAllTextAsync(wrongKey, Convert.ToBase64String(stranger.PublicKey), TestContext.Current.CancellationToken);

        var result = await Cli(folder, ["verify", bundle, "--public-key", wrongKey]);
        var python = await PythonVerifier.VerifyAsync(bundle, wrongKey, TestContext.Current.CancellationToken);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.StartsWith("invalid: ", result.Output, StringComparison.Ordinal);
        Assert.Contains("ed25519:", result.Output, StringComparison.Ordinal);
        Assert.Equal(result.Output.Trim(), python.Output.Trim());
    }

    [Fact]
    public async Task A_hashes_only_bundle_carries_no_payload_and_verifies_its_chain()
    {
        using var folder = new TempDirectory();
        var runId = await RunAsync(folder);
        var bundle = await ExportAsync(folder, runId, "--hashes-only");

        var result = await Cli(folder, ["verify", bundle, "--public-key", await LedgerKeyAsync(folder)]);

        using var json = JsonDocument.Parse(await File.ReadAllTextAsync(bundle, TestContext.Current.CancellationToken));
        Assert.Equal("hashes_only", json.RootElement.GetProperty("payloads").GetString());
        Assert.All(json.RootElement.GetProperty("records").EnumerateArray(), r => Assert.Equal(JsonValueKind.Null, r.GetProperty("payload").ValueKind));
        CliAssert.Succeeds(result);
        Assert.Contains("payloads not included, not checked", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Verify_of_a_run_id_exports_it_and_verifies_it()
    {
        using var folder = new TempDirectory();
        var runId = await RunAsync(folder);

        var result = await Cli(folder, ["verify", runId, "--public-key", await LedgerKeyAsync(folder)]);

        CliAssert.Succeeds(result);
        Assert.StartsWith("valid: 8 records", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_that_is_not_a_bundle_or_a_key_is_one_line_and_exit_2()
    {
        using var folder = new TempDirectory();
        var bundle = await ExportAsync(folder, await RunAsync(folder));
        var workflow = TestWorkflows.Example("review.yaml");

        var notBundle = await Cli(folder, ["verify", workflow]);
        var notKey = await Cli(folder, ["verify", bundle, "--public-key", workflow]);
        var neither = await Cli(folder, ["verify", "no-such-thing"]);

        CliAssert.FailsWithOneLine(notBundle, 2, $"{workflow}: not a MeshFlow evidence bundle: it is not JSON");
        CliAssert.FailsWithOneLine(notKey, 2, $"--public-key {workflow}: a public key file holds the base64");
        CliAssert.FailsWithOneLine(neither, 2, "'no-such-thing' is neither a bundle file nor a run id");
    }

    [Fact]
    public async Task Exporting_a_run_that_is_not_there_is_one_line()
    {
        using var folder = new TempDirectory();
        await RunAsync(folder);

        var result = await Cli(folder, ["export", "run_0000000000000000000000000000000a"]);

        CliAssert.FailsWithOneLine(result, 1, "no run 'run_0000000000000000000000000000000a'");
        Assert.Empty(result.Output);
    }

    private static async Task<string> RunAsync(TempDirectory folder) =>
        TestWorkflows.RunId(await Cli(folder, ["run", TestWorkflows.Example("review.yaml"), "--input", "A mutual NDA"]));

    // The bundle as a user saves it: meshflow export run_... > bundle.json
    private static async Task<string> ExportAsync(TempDirectory folder, string runId, params string[] options)
    {
        var export = await Cli(folder, ["export", runId, .. options]);
        CliAssert.Succeeds(export);
        var path = folder.File($"{runId}{string.Concat(options)}.json");
        await File.WriteAllTextAsync(path, export.Output, TestContext.Current.CancellationToken);
        return path;
    }

    private static async Task<string> LedgerKeyAsync(TempDirectory folder)
    {
        var key = await Cli(folder, ["admin", "keys", "ledger"]);
        CliAssert.Succeeds(key);
        var path = folder.File("ledger.pub");
        await File.WriteAllTextAsync(path, key.Output, TestContext.Current.CancellationToken);
        return path;
    }

    private static Task<CliResult> Cli(TempDirectory folder, string[] args) =>
        MeshFlowCli.RunAsync([.. args, "--data-dir", folder.File("data")], folder.Path, cancellationToken: TestContext.Current.CancellationToken);
}
