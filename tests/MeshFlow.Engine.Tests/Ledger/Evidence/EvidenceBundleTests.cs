using MeshFlow.Ledger;
using MeshFlow.Ledger.Evidence;
using MeshFlow.Ledger.Signing;

namespace MeshFlow.Tests.Ledger.Evidence;

/// <summary>Bundles of real runs on a real SQLite ledger, verified by the C# verifier and by the documented Python one.</summary>
public sealed class EvidenceBundleTests : IAsyncLifetime
{
    private EvidenceRuns _runs = null!;

    public async ValueTask InitializeAsync() => _runs = await EvidenceRuns.OpenAsync();

    public async ValueTask DisposeAsync() => await _runs.DisposeAsync();

    [Fact]
    public async Task A_completed_runs_bundle_verifies_in_CSharp_and_in_Python_from_its_own_keys_or_the_pinned_one()
    {
        var runId = await _runs.CompletedRunAsync();
        var bundle = await _runs.BundleAsync(runId);

        var fromBundle = await _runs.VerifyBothAsync(EvidenceBundles.Serialize(bundle));
        var pinned = await _runs.VerifyBothAsync(EvidenceBundles.Serialize(bundle), _runs.RealKeys);

        Assert.True(fromBundle.Valid, fromBundle.Summary);
        Assert.Equal(8, fromBundle.Records);
        Assert.True(fromBundle is { HeadSigned: true, HeadSeq: 8, PayloadsChecked: true, KeysFromBundle: true, Redacted: [] });
        Assert.Equal($"valid: 8 records (head signed at seq 8 by {_runs.Ledger.Ledger.Signer.KeyId}, key from the bundle, not pinned; payloads checked)",
            fromBundle.Summary);
        Assert.True(pinned is { Valid: true, KeysFromBundle: false });
        Assert.Contains("pinned key", pinned.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bundle_holds_exactly_the_ledgers_headers_hashes_payloads_head_and_key()
    {
        var runId = await _runs.CompletedRunAsync();
        var records = await _runs.Ledger.Store.ReadRecordsAsync(EvidenceRuns.Tenant, runId, TestContext.Current.CancellationToken);
        var head = await _runs.Ledger.Store.ReadHeadAsync(EvidenceRuns.Tenant, runId, TestContext.Current.CancellationToken);

        var bundle = await _runs.BundleAsync(runId);

        Assert.Equal((EvidenceBundles.Format, EvidenceRuns.Tenant, runId, EvidenceBundles.PayloadsIncluded),
            (bundle.Format, bundle.TenantId, bundle.RunId, bundle.Payloads));
        Assert.Equal(records.Count, bundle.Records.Count);
        for (var i = 0; i < records.Count; i++)
        {
            Assert.Equal(LedgerHashing.Header(records[i]), CanonicalBytes(bundle.Records[i].Header));
            Assert.Equal(records[i].EntryHash, bundle.Records[i].EntryHash);
            Assert.Equal(records[i].Payload, bundle.Records[i].Payload);
        }

        Assert.Equal((head!.Seq, head.EntryHash, head.KeyId, head.Signature), (bundle.Head!.Seq, bundle.Head.EntryHash, bundle.Head.KeyId, bundle.Head.Signature));
        Assert.Equal(LedgerHashing.HeadMessage(head), LedgerHashing.HeadMessage(head with { SignedAt = DateTimeOffset.Parse(bundle.Head.SignedAt, System.Globalization.CultureInfo.InvariantCulture) }));
        Assert.Equal(Convert.ToBase64String(_runs.Ledger.Ledger.Signer.PublicKey), Assert.Single(bundle.PublicKeys).Value);
        Assert.Null(await EvidenceBundles.CreateAsync(_runs.Ledger.Store, "globex", runId, includePayloads: true, cancellationToken: TestContext.Current.CancellationToken));
        Assert.Null(await EvidenceBundles.CreateAsync(_runs.Ledger.Store, EvidenceRuns.Tenant, "run_missing", includePayloads: true, cancellationToken: TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Pythons_canonical_json_hashes_every_header_to_the_entry_hash_the_ledger_computed()
    {
        var runId = await _runs.CompletedRunAsync();
        var records = await _runs.Ledger.Store.ReadRecordsAsync(EvidenceRuns.Tenant, runId, TestContext.Current.CancellationToken);
        var path = _runs.WriteFile("bundle.json", EvidenceBundles.Serialize(await _runs.BundleAsync(runId)));

        var python = await PythonVerifier.RunSnippetAsync("""
            import json, sys, verify_bundle as v
            bundle = json.load(open(sys.argv[1], encoding="utf-8"))
            for r in bundle["records"]:
                print(v.sha256(v.canonical(r["header"])), v.sha256(r["payload"].encode("utf-8")))
            """, path);

        Assert.Equal(0, python.ExitCode);
        Assert.Equal(records.Select(r => $"{r.EntryHash} {r.PayloadHash}"), python.Stdout.Trim().Split('\n'));
    }

    [Fact]
    public async Task An_erased_runs_bundle_verifies_naming_its_redacted_records()
    {
        var runId = await _runs.CompletedRunAsync();
        await _runs.Ledger.Ledger.EraseAsync(EvidenceRuns.Tenant, runId, [2, 3], "gdpr erasure request", TestContext.Current.CancellationToken);

        var bundle = await _runs.BundleAsync(runId);
        var verification = await _runs.VerifyBothAsync(EvidenceBundles.Serialize(bundle), _runs.RealKeys);

        Assert.True(verification.Valid, verification.Summary);
        Assert.Equal([2L, 3L], verification.Redacted);
        Assert.True(bundle.Records[1].Redacted);
        Assert.Contains("gdpr erasure request", bundle.Records[1].Payload, StringComparison.Ordinal);
        Assert.EndsWith("; payloads checked; redacted: 2, 3)", verification.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hashes_only_bundle_verifies_with_its_payloads_unchecked_and_not_reported_as_redacted()
    {
        var runId = await _runs.CompletedRunAsync();
        await _runs.Ledger.Ledger.EraseAsync(EvidenceRuns.Tenant, runId, [4], "erased", TestContext.Current.CancellationToken);

        var bundle = await _runs.BundleAsync(runId, includePayloads: false);
        var verification = await _runs.VerifyBothAsync(EvidenceBundles.Serialize(bundle), _runs.RealKeys);

        Assert.Equal(EvidenceBundles.PayloadsHashesOnly, bundle.Payloads);
        Assert.All(bundle.Records, r => Assert.Null(r.Payload));
        Assert.True(verification is { Valid: true, PayloadsChecked: false, HeadSigned: true }, verification.Summary);
        Assert.Equal([4L], verification.Redacted);
        Assert.EndsWith("; payloads not included, not checked; redacted: 4)", verification.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hashes_only_bundle_still_catches_a_changed_header()
    {
        var runId = await _runs.CompletedRunAsync();
        var bundle = await _runs.BundleJsonAsync(runId, includePayloads: false);
        Forgery.Header(Forgery.Record(bundle, 3))["tokens_output"] = 1;

        var verification = await _runs.VerifyBothAsync(bundle);

        Assert.Equal((LedgerVerificationReasons.HashMismatch, 3L), (verification.Reason, verification.FirstBadSeq));
    }

    [Fact]
    public async Task A_run_that_has_not_ended_verifies_without_a_head_and_one_signed_at_a_pause_names_its_unsigned_records()
    {
        await _runs.Ledger.Ledger.TryStartRunAsync(EvidenceRuns.Tenant, "run_open", new RunStartPayload
        {
            Workflow = "open", WorkflowDigest = "sha256:0", Input = "x", Policy = new MeshFlow.Governance.Policy(),
        }, TestContext.Current.CancellationToken);
        await _runs.Ledger.Ledger.AppendAsync(EvidenceRuns.Tenant, "run_open", new LedgerEntry { Kind = LedgerRecordKinds.Step, Payload = "{}", StepId = "a:1" },
            cancellationToken: TestContext.Current.CancellationToken);

        var unsigned = await _runs.VerifyBothAsync(EvidenceBundles.Serialize(await _runs.BundleAsync("run_open")));
        await _runs.Ledger.Ledger.SignHeadAsync(EvidenceRuns.Tenant, "run_open", TestContext.Current.CancellationToken);
        await _runs.Ledger.Ledger.AppendAsync(EvidenceRuns.Tenant, "run_open", new LedgerEntry { Kind = LedgerRecordKinds.Step, Payload = "{}", StepId = "a:2" },
            cancellationToken: TestContext.Current.CancellationToken);
        var paused = await _runs.VerifyBothAsync(EvidenceBundles.Serialize(await _runs.BundleAsync("run_open")), _runs.RealKeys);

        Assert.Equal("valid: 2 records (no signed head: the run has not ended; payloads checked)", unsigned.Summary);
        Assert.True(paused is { Valid: true, HeadSeq: 2, Records: 3 }, paused.Summary);
        Assert.Contains("; records after seq 2 not yet signed;", paused.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bundle_read_back_from_its_file_or_a_stream_is_the_bundle_that_was_written()
    {
        var runId = await _runs.CompletedRunAsync();
        var bundle = await _runs.BundleAsync(runId);
        using var stream = new MemoryStream();
        await EvidenceBundles.WriteAsync(stream, bundle, TestContext.Current.CancellationToken);
        stream.Position = 0;

        var read = await EvidenceBundles.ReadAsync(stream, TestContext.Current.CancellationToken);

        Assert.Equal(EvidenceBundles.Serialize(bundle), EvidenceBundles.Serialize(read));
        Assert.Equal(EvidenceBundles.Verify(bundle).Summary, EvidenceBundles.Verify(read).Summary);
    }

    [Fact]
    public async Task A_bundle_made_in_code_that_breaks_the_format_is_refused_as_a_file_would_be()
    {
        var runId = await _runs.CompletedRunAsync();
        var bundle = await _runs.BundleAsync(runId);
        var broken = bundle with { Records = [.. bundle.Records.Select((r, i) => i == 2 ? r with { Payload = null } : r)] };

        var error = Assert.Throws<EvidenceFormatException>(() => EvidenceBundles.Verify(broken));

        Assert.Equal("invalid evidence bundle: records[2].payload must be a string (payloads are \"included\")", error.Message);
    }

    [Fact]
    public async Task A_record_the_ledger_cannot_hash_is_exported_so_the_bundle_names_the_same_problem_as_the_ledger_in_both()
    {
        var runId = await _runs.CompletedRunAsync();
        var records = await _runs.Ledger.Store.ReadRecordsAsync(EvidenceRuns.Tenant, runId, TestContext.Current.CancellationToken);
        var head = await _runs.Ledger.Store.ReadHeadAsync(EvidenceRuns.Tenant, runId, TestContext.Current.CancellationToken);
        var keys = await _runs.Ledger.Store.ReadPublicKeysAsync(EvidenceRuns.Tenant, TestContext.Current.CancellationToken);
        var step = records.First(r => r.AgentDid is not null);

        foreach (var changed in new[] { step with { FormatVersion = 1 }, step with { FormatVersion = 7 } })
        {
            var tampered = records.Select(r => r.Seq == step.Seq ? changed : r).ToList();
            var ledger = LedgerVerifier.Verify(EvidenceRuns.Tenant, runId, tampered, head, keys);
            var bundle = EvidenceBundles.Create(EvidenceRuns.Tenant, runId, tampered, head, keys, includePayloads: true, DateTimeOffset.UnixEpoch);

            var (verification, python) = await _runs.VerdictsAsync(EvidenceBundles.Serialize(bundle));

            Assert.Equal((ledger.Reason, ledger.FirstBadSeq, ledger.Detail), (verification.Reason, verification.FirstBadSeq, verification.Detail));
            Assert.Equal((1, verification.Summary), (python.ExitCode, python.Line));
        }
    }

    [Fact]
    public async Task A_pem_or_base64_key_file_pins_the_key_and_python_refuses_a_file_that_holds_no_key()
    {
        var runId = await _runs.CompletedRunAsync();
        var path = _runs.WriteFile("bundle.json", EvidenceBundles.Serialize(await _runs.BundleAsync(runId)));
        var pemFile = _runs.WriteFile("real.pem", Pem(_runs.Ledger.Ledger.Signer.PublicKey));
        var notAKey = _runs.WriteFile("short.pub", Convert.ToBase64String(new byte[31]));

        var key = EvidencePublicKeys.Load(pemFile);
        var fromBase64 = EvidencePublicKeys.Parse(Convert.ToBase64String(_runs.Ledger.Ledger.Signer.PublicKey) + "\n");
        var csharp = EvidenceBundles.Verify(EvidenceBundles.ReadFile(path), EvidencePublicKeys.ById([key]));
        var python = await PythonVerifier.VerifyAsync(path, _runs.RealKeyFile);
        var refused = await PythonVerifier.VerifyAsync(path, notAKey);

        Assert.Equal(_runs.Ledger.Ledger.Signer.KeyId, key.KeyId);
        Assert.Equal(_runs.Ledger.Ledger.Signer.PublicKey, key.PublicKey);
        Assert.Equal(key.KeyId, fromBase64.KeyId);
        Assert.Equal(key.PublicKey, fromBase64.PublicKey);
        Assert.True(csharp is { Valid: true, KeysFromBundle: false }, csharp.Summary);
        Assert.Equal((0, csharp.Summary), (python.ExitCode, python.Line));
        Assert.Equal((2, $"error: {notAKey} holds no Ed25519 public key (the base64 of its 32 bytes)"), (refused.ExitCode, refused.Line));
        Assert.Throws<FormatException>(() => EvidencePublicKeys.Parse(Convert.ToBase64String(new byte[31])));
        Assert.Throws<FormatException>(() => EvidencePublicKeys.Parse("not a key"));
    }

    [Fact]
    public async Task A_bundle_verified_with_pinned_keys_that_lack_its_key_names_the_unknown_key_in_both()
    {
        var runId = await _runs.CompletedRunAsync();
        using var other = Ed25519LedgerSigner.Create();

        var verification = await _runs.VerifyBothAsync(EvidenceBundles.Serialize(await _runs.BundleAsync(runId)),
            new Dictionary<string, byte[]> { [other.KeyId] = other.PublicKey });

        Assert.Equal((LedgerVerificationReasons.BadHeadSignature, 8L), (verification.Reason, verification.FirstBadSeq));
        Assert.Equal($"the head is signed with unknown key '{_runs.Ledger.Ledger.Signer.KeyId}'", verification.Detail);
    }

    private static byte[] CanonicalBytes(System.Text.Json.JsonElement element) => MeshFlow.Ledger.Canonical.CanonicalJson.Canonicalize(element);

    private static string Pem(byte[] publicKey)
    {
        byte[] spki = [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00, .. publicKey];
        return "-----BEGIN PUBLIC KEY-----\n" + Convert.ToBase64String(spki) + "\n-----END PUBLIC KEY-----\n";
    }
}
