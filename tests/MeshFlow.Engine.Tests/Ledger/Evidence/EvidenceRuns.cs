using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using MeshFlow.Agents;
using MeshFlow.Execution;
using MeshFlow.Ledger;
using MeshFlow.Ledger.Canonical;
using MeshFlow.Ledger.Evidence;
using MeshFlow.Ledger.Signing;
using MeshFlow.Runs;
using MeshFlow.Tests.Support;
using MeshFlow.Workflows;

namespace MeshFlow.Tests.Ledger.Evidence;

/// <summary>Real runs on a real SQLite ledger, their bundles, and both verifiers' verdicts on them.</summary>
internal sealed class EvidenceRuns : IAsyncDisposable
{
    public const string Tenant = "acme";

    private readonly string _files = Directory.CreateTempSubdirectory("meshflow-evidence-").FullName;

    private EvidenceRuns(TestLedger ledger) => Ledger = ledger;

    public TestLedger Ledger { get; }

    /// <summary>The service's real public key, as a key file (base64 of the raw key).</summary>
    public string RealKeyFile => WriteFile("real.pub", Convert.ToBase64String(Ledger.Ledger.Signer.PublicKey));

    public IReadOnlyDictionary<string, byte[]> RealKeys => new Dictionary<string, byte[]> { [Ledger.Ledger.Signer.KeyId] = Ledger.Ledger.Signer.PublicKey };

    public static async Task<EvidenceRuns> OpenAsync() => new(await TestLedger.OpenSqliteAsync());

    /// <summary>A writer and a critic looping three times: run_start, six steps, run_end, a signed head.</summary>
    public static Workflow Review() => new WorkflowBuilder("review")
        .AddNode(new AgentNode("writer") { Model = ModelNames.Offline, Instructions = "Draft." })
        .AddNode(new AgentNode("critic") { Model = ModelNames.Scripted, Responses = ["REVISE", "REVISE", "APPROVED"] })
        .AddEdge("writer", "critic")
        .AddLoopEdge("critic", "writer", "!contains(output, 'APPROVED')", 3)
        .WithOutput("writer")
        .Build();

    /// <summary>Runs <see cref="Review"/> to completion and answers its run id.</summary>
    public async Task<string> CompletedRunAsync(string input = "NDA between Acme and Globex")
    {
        var result = await new MeshFlowEngine(new MeshFlowEngineOptions { Ledger = Ledger.Ledger })
            .RunAsync(Review(), input, new RunOptions { TenantId = Tenant }, TestContext.Current.CancellationToken);
        Assert.Equal(RunStatus.Completed, result.Status);
        return result.RunId;
    }

    public async Task<EvidenceBundle> BundleAsync(string runId, bool includePayloads = true) =>
        await EvidenceBundles.CreateAsync(Ledger.Store, Tenant, runId, includePayloads, cancellationToken: TestContext.Current.CancellationToken)
        ?? throw new InvalidOperationException($"no run {runId}");

    public async Task<JsonObject> BundleJsonAsync(string runId, bool includePayloads = true) =>
        JsonNode.Parse(EvidenceBundles.Serialize(await BundleAsync(runId, includePayloads)))!.AsObject();

    public string WriteFile(string name, string text)
    {
        var path = Path.Combine(_files, name);
        File.WriteAllText(path, text, new UTF8Encoding(false));
        return path;
    }

    /// <summary>
    /// Verifies a bundle file with both verifiers (pinning <paramref name="trusted"/> when given, as a dictionary and as
    /// key files) and asserts they print the same line; answers the C# verdict.
    /// </summary>
    public async Task<EvidenceVerification> VerifyBothAsync(string json, IReadOnlyDictionary<string, byte[]>? trusted = null)
    {
        var (verification, python) = await VerdictsAsync(json, trusted);
        Assert.Equal(verification.Summary, python.Line);
        Assert.Equal(verification.Valid ? 0 : 1, python.ExitCode);
        return verification;
    }

    /// <summary>Verifies a bundle file with both verifiers, as <see cref="VerifyBothAsync(string, IReadOnlyDictionary{string, byte[]}?)"/> does, without comparing their lines.</summary>
    public async Task<(EvidenceVerification CSharp, PythonVerifier.Result Python)> VerdictsAsync(string json, IReadOnlyDictionary<string, byte[]>? trusted = null)
    {
        var path = WriteFile(Guid.NewGuid().ToString("N") + ".json", json);
        var verification = EvidenceBundles.Verify(EvidenceBundles.ReadFile(path), trusted);
        var keyFiles = (trusted ?? new Dictionary<string, byte[]>()).Select(k => WriteFile(Guid.NewGuid().ToString("N") + ".pub", Convert.ToBase64String(k.Value)));
        return (verification, await PythonVerifier.VerifyAsync(path, [.. keyFiles]));
    }

    public Task<EvidenceVerification> VerifyBothAsync(JsonObject bundle, IReadOnlyDictionary<string, byte[]>? trusted = null) =>
        VerifyBothAsync(bundle.ToJsonString(), trusted);

    public async ValueTask DisposeAsync()
    {
        await Ledger.DisposeAsync();
        Directory.Delete(_files, recursive: true);
    }
}

/// <summary>What a forger can do to a bundle's JSON without the signing key.</summary>
internal static class Forgery
{
    public static JsonArray Records(JsonObject bundle) => bundle["records"]!.AsArray();

    public static JsonObject Record(JsonObject bundle, long seq) =>
        Records(bundle).Select(r => r!.AsObject()).Single(r => (long)r["header"]!["seq"]! == seq);

    public static JsonObject Header(JsonObject record) => record["header"]!.AsObject();

    public static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>The entry hash of a header as given (RFC 8785 of the object, hashed).</summary>
    public static string HashOf(JsonObject header) => Convert.ToHexStringLower(SHA256.HashData(CanonicalJson.Canonicalize(header.ToJsonString())));

    /// <summary>Recomputes a record's entry hash over its header as it now is.</summary>
    public static void Rehash(JsonObject record) => record["entry_hash"] = HashOf(Header(record));

    /// <summary>Replaces a payload and the header's payload hash with it.</summary>
    public static void SetPayload(JsonObject record, string payload)
    {
        record["payload"] = payload;
        Header(record)["payload_hash"] = Sha256Hex(payload);
    }

    /// <summary>Recomputes every entry hash and link from <paramref name="fromSeq"/> on, as a forger would.</summary>
    public static void Rechain(JsonObject bundle, long fromSeq)
    {
        var records = Records(bundle).Select(r => r!.AsObject()).OrderBy(r => (long)r["header"]!["seq"]!).ToList();
        for (var i = 0; i < records.Count; i++)
        {
            var seq = (long)records[i]["header"]!["seq"]!;
            if (seq < fromSeq)
            {
                continue;
            }

            if (i > 0)
            {
                Header(records[i])["prev_hash"] = (string)records[i - 1]["entry_hash"]!;
            }

            Rehash(records[i]);
        }
    }

    /// <summary>Signs the head anew over the last record with <paramref name="signer"/>, under <paramref name="keyId"/> (the signer's own by default).</summary>
    public static void Resign(JsonObject bundle, ILedgerSigner signer, string? keyId = null)
    {
        var last = Records(bundle).Select(r => r!.AsObject()).MaxBy(r => (long)r["header"]!["seq"]!)!;
        var head = new LedgerHead((string)bundle["tenant_id"]!, (string)bundle["run_id"]!, (long)last["header"]!["seq"]!, (string)last["entry_hash"]!,
            DateTimeOffset.FromUnixTimeMilliseconds(1_800_000_000_000), keyId ?? signer.KeyId, string.Empty);
        var signature = Convert.ToBase64String(signer.Sign(LedgerHashing.HeadMessage(head)));
        bundle["head"] = new JsonObject
        {
            ["tenant_id"] = head.TenantId, ["run_id"] = head.RunId, ["seq"] = head.Seq, ["entry_hash"] = head.EntryHash,
            ["signed_at"] = "2027-01-15T08:00:00.000Z", ["key_id"] = head.KeyId, ["signature"] = signature,
        };
        bundle["public_keys"] = new JsonObject { [head.KeyId] = Convert.ToBase64String(signer.PublicKey) };
    }
}

/// <summary>One ledger and one completed run for a whole test class, whose tests each work on a fresh copy of its bundle.</summary>
public sealed class EvidenceRunFixture : IAsyncLifetime
{
    internal EvidenceRuns Runs { get; private set; } = null!;

    public string RunId { get; private set; } = null!;

    /// <summary>The completed run's bundle, as JSON text.</summary>
    public string Bundle { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        Runs = await EvidenceRuns.OpenAsync();
        RunId = await Runs.CompletedRunAsync();
        Bundle = EvidenceBundles.Serialize(await Runs.BundleAsync(RunId));
    }

    public async ValueTask DisposeAsync() => await Runs.DisposeAsync();
}
