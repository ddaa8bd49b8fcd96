using System.Diagnostics;
using System.Globalization;
using System.Text;
using MeshFlow.Ledger;

namespace MeshFlow.Tests.Ledger.Contract;

/// <summary>
/// What every <see cref="ILedgerStore"/> must do, run against each implementation by subclassing. Depends only on
/// the engine library and xunit, so other test projects can link this folder's files.
/// </summary>
public abstract partial class LedgerStoreContractTests : IAsyncLifetime
{
    protected const string Tenant = "acme";
    protected const string OtherTenant = "globex";

    /// <summary>The longest any single wait in these tests may take (scaled by MESHFLOW_TEST_TIMEOUT_SCALE).</summary>
    protected static readonly TimeSpan Timeout = TimeSpan.FromSeconds(
        60 * (int.TryParse(Environment.GetEnvironmentVariable("MESHFLOW_TEST_TIMEOUT_SCALE"), out var scale) && scale > 0 ? scale : 1));

    /// <summary>The store under test: fresh, migrated and empty for each test.</summary>
    protected ILedgerStore Store { get; private set; } = null!;

    /// <summary>Creates a fresh, migrated, empty store with its own file or database.</summary>
    protected abstract Task<ILedgerStore> CreateStoreAsync();

    public virtual async ValueTask InitializeAsync() => Store = await CreateStoreAsync().WaitAsync(Timeout);

    public virtual async ValueTask DisposeAsync()
    {
        if (Store is not null)
        {
            await Store.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }

    protected static string NewRun() => "run-" + Guid.NewGuid().ToString("N");

    protected static string NewTenant() => "tenant-" + Guid.NewGuid().ToString("N");

    protected static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>A long output that compresses like real text: words from a small vocabulary, some of them not ASCII.</summary>
    protected static string LongText(int chars, int seed = 42)
    {
        string[] words = ["the", "clause", "liability", "shall", "not", "exceed", "fees", "paid", "naïve", "über", "€", "条款", "🙂", "review"];
        var random = new Random(seed);
        var text = new StringBuilder(chars + 16);
        while (text.Length < chars)
        {
            text.Append(words[random.Next(words.Length)]).Append(random.Next(10) == 0 ? ".\n" : " ");
        }

        // Never cut a surrogate pair in half.
        var length = char.IsHighSurrogate(text[chars - 1]) ? chars - 1 : chars;
        return text.ToString(0, length);
    }

    [Fact]
    public async Task Appended_record_reads_back_with_every_field_exact()
    {
        var run = NewRun();
        var start = LedgerRecordFactory.RunStart(Tenant, run);
        var step = LedgerRecordFactory.Rehash(LedgerRecordFactory.Step(Tenant, run, start) with
        {
            Timestamp = new DateTimeOffset(2026, 7, 1, 11, 22, 33, 444, TimeSpan.FromHours(2)),
            NodeId = "writer",
            AgentId = "did:mesh:writer",
            StepId = "writer:1",
            Verdict = "escalate",
            BlockReason = "guardian",
            TokensInput = 1_234_567_890_123,
            TokensOutput = 42,
            TokensEstimated = true,
            CostUsd = 0.000123456789m,
            DurationMs = 1234.5678901234567,
            Uncertainty = 0.3333333333333333,
            Payload = """{"output":"Ünïcödé, \"quotes\", 条款 and 🙂","step_id":"writer:1"}""",
        });

        Assert.Equal(AppendOutcome.Appended, await Store.AppendAsync(start, null, Token));
        Assert.Equal(AppendOutcome.Appended, await Store.AppendAsync(step, null, Token));

        var records = await Store.ReadRecordsAsync(Tenant, run, Token);
        Assert.Equal([start, step], records);
        var read = records[1];
        Assert.Equal(TimeSpan.Zero, read.Timestamp.Offset);
        Assert.Equal(step.Timestamp.ToUnixTimeMilliseconds(), read.Timestamp.ToUnixTimeMilliseconds());
        Assert.Equal("0.000123456789", read.CostUsd.ToString(CultureInfo.InvariantCulture));
        Assert.Equal(1234.5678901234567, read.DurationMs);
        Assert.Equal(0.3333333333333333, read.Uncertainty);
        Assert.True(read.TokensEstimated);
        Assert.Equal(1_234_567_890_123, read.TokensInput);
        Assert.False(read.Redacted);
        Assert.Equal(step.Payload, read.Payload, StringComparer.Ordinal);

        var first = records[0];
        Assert.Null(first.NodeId);
        Assert.Null(first.AgentId);
        Assert.Null(first.StepId);
        Assert.Null(first.Verdict);
        Assert.Null(first.BlockReason);
        Assert.Null(first.Uncertainty);
        Assert.Equal(step, await Store.ReadLastRecordAsync(Tenant, run, Token));
    }

    [Fact]
    public async Task Scale_and_sign_of_costs_are_kept_exactly()
    {
        var run = NewRun();
        var costs = new[] { 0m, 1.50m, 0.0000000000000000000000000001m, 79228162514264337593543950335m, -2.25m };
        LedgerRecord? previous = null;
        foreach (var cost in costs)
        {
            var record = LedgerRecordFactory.Rehash(LedgerRecordFactory.Step(Tenant, run, previous) with { CostUsd = cost });
            await Store.AppendAsync(record, null, Token);
            previous = record;
        }

        var read = await Store.ReadRecordsAsync(Tenant, run, Token);
        Assert.Equal(
            costs.Select(c => c.ToString(CultureInfo.InvariantCulture)),
            read.Select(r => r.CostUsd.ToString(CultureInfo.InvariantCulture)));
    }

    [Theory]
    [InlineData(5_000)]
    [InlineData(1024 * 1024)]
    public async Task Long_outputs_are_stored_in_full_and_read_back_byte_identical(int chars)
    {
        var run = NewRun();
        var start = LedgerRecordFactory.RunStart(Tenant, run);
        var output = LongText(chars);
        var step = LedgerRecordFactory.Step(Tenant, run, start, output);
        await Store.AppendAsync(start, null, Token);
        await Store.AppendAsync(step, null, Token);

        var read = await Store.ReadStepRecordAsync(Tenant, run, step.StepId!, Token);
        Assert.NotNull(read);
        Assert.Equal(Encoding.UTF8.GetBytes(step.Payload), Encoding.UTF8.GetBytes(read.Payload));
        Assert.Contains(LedgerRecordFactory.Quote(output), read.Payload, StringComparison.Ordinal);
        Assert.Equal(step, read);
        Assert.Equal(step, (await Store.ReadRecordsAsync(Tenant, run, Token))[1]);
    }

    [Fact]
    public async Task Re_appending_an_identical_record_is_a_no_op()
    {
        var run = NewRun();
        var start = LedgerRecordFactory.RunStart(Tenant, run);
        var big = LedgerRecordFactory.Step(Tenant, run, start, LongText(50_000));
        Assert.Equal(AppendOutcome.Appended, await Store.AppendAsync(start, null, Token));
        Assert.Equal(AppendOutcome.Appended, await Store.AppendAsync(big, null, Token));

        // A copy (not the same instance), as a retry after a lost acknowledgement would send.
        Assert.Equal(AppendOutcome.AlreadyPresent, await Store.AppendAsync(start with { }, null, Token));
        Assert.Equal(AppendOutcome.AlreadyPresent, await Store.AppendAsync(big with { Payload = new string(big.Payload.AsSpan()) }, null, Token));

        Assert.Equal([start, big], await Store.ReadRecordsAsync(Tenant, run, Token));
        Assert.Equal(2, (await Store.ReadRunAsync(Tenant, run, Token))!.LastSeq);
    }

    [Fact]
    public async Task A_different_record_at_an_existing_seq_is_a_conflict()
    {
        var run = NewRun();
        var start = LedgerRecordFactory.RunStart(Tenant, run);
        var step = LedgerRecordFactory.Step(Tenant, run, start);
        await Store.AppendAsync(start, null, Token);
        await Store.AppendAsync(step, null, Token);

        var fork = LedgerRecordFactory.Fork(step);
        var conflict = await Assert.ThrowsAsync<LedgerConflictException>(() => Store.AppendAsync(fork, null, Token));
        Assert.Equal((Tenant, run, 2L), (conflict.TenantId, conflict.RunId, conflict.Seq));

        // Same entry hash but something else differs: still not identical.
        await Assert.ThrowsAsync<LedgerConflictException>(() => Store.AppendAsync(step with { Payload = """{"output":"tampered"}""" }, null, Token));
        await Assert.ThrowsAsync<LedgerConflictException>(() => Store.AppendAsync(step with { TokensOutput = step.TokensOutput + 1 }, null, Token));
        await Assert.ThrowsAsync<LedgerConflictException>(() => Store.AppendAsync(step with { Verdict = "blocked" }, null, Token));

        Assert.Equal([start, step], await Store.ReadRecordsAsync(Tenant, run, Token));
    }

    [Fact]
    public async Task Concurrent_writers_to_one_run_never_fork_the_chain_nor_leave_gaps()
    {
        const int Writers = 32;
        const int RecordsPerWriter = 200;
        var run = NewRun();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Token);
        timeout.CancelAfter(Timeout);
        var stopwatch = Stopwatch.StartNew();

        var writers = Enumerable.Range(0, Writers).Select(writer => Task.Run(async () =>
        {
            var conflicts = 0;
            for (var appended = 0; appended < RecordsPerWriter;)
            {
                var last = await Store.ReadLastRecordAsync(Tenant, run, timeout.Token);
                var record = LedgerRecordFactory.Step(Tenant, run, last, $"writer {writer}, record {appended}", $"w{writer}:{appended}");
                var checkpoint = new LedgerCheckpoint(Tenant, run, record.Seq, $$"""{"writer":{{writer}},"appended":{{appended + 1}}}""");
                try
                {
                    if (await Store.AppendAsync(record, checkpoint, timeout.Token) == AppendOutcome.Appended)
                    {
                        appended++;
                    }
                }
                catch (LedgerConflictException)
                {
                    conflicts++;
                }
            }

            return conflicts;
        }, timeout.Token)).ToArray();
        var conflicts = await Task.WhenAll(writers).WaitAsync(Timeout, Token);
        stopwatch.Stop();
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"{Writers} writers x {RecordsPerWriter} records: {stopwatch.ElapsedMilliseconds} ms, {conflicts.Sum()} conflicts retried");

        var records = await Store.ReadRecordsAsync(Tenant, run, Token);
        Assert.Equal(Writers * RecordsPerWriter, records.Count);
        Assert.Equal(Enumerable.Range(1, Writers * RecordsPerWriter).Select(i => (long)i), records.Select(r => r.Seq));
        Assert.Equal(LedgerRecordFactory.Genesis(Tenant, run), records[0].PrevHash);
        for (var i = 1; i < records.Count; i++)
        {
            Assert.Equal(records[i - 1].EntryHash, records[i].PrevHash);
        }

        Assert.Equal(records.Count, records.Select(r => r.StepId).Distinct().Count());
        Assert.Equal(Writers * RecordsPerWriter, (await Store.ReadRunAsync(Tenant, run, Token))!.LastSeq);
        Assert.Equal(Writers * RecordsPerWriter, (await Store.LoadCheckpointAsync(Tenant, run, Token))!.Seq);
    }

    [Fact]
    public async Task Another_tenant_sees_nothing_of_a_run()
    {
        var run = NewRun();
        var chain = LedgerRecordFactory.Chain(Tenant, run, 3);
        for (var i = 0; i < chain.Count; i++)
        {
            await Store.AppendAsync(chain[i], new LedgerCheckpoint(Tenant, run, chain[i].Seq, "{}"), Token);
        }

        await Store.SaveHeadAsync(new LedgerHead(Tenant, run, 3, chain[^1].EntryHash, LedgerRecordFactory.Epoch, "k1", "c2ln"), Token);
        await Store.SavePublicKeyAsync(Tenant, "k1", [1, 2, 3], Token);

        Assert.Empty(await Store.ReadRecordsAsync(OtherTenant, run, Token));
        Assert.Null(await Store.ReadLastRecordAsync(OtherTenant, run, Token));
        Assert.Null(await Store.ReadStepRecordAsync(OtherTenant, run, chain[1].StepId!, Token));
        Assert.Null(await Store.ReadRunAsync(OtherTenant, run, Token));
        Assert.Null(await Store.LoadCheckpointAsync(OtherTenant, run, Token));
        Assert.Null(await Store.ReadHeadAsync(OtherTenant, run, Token));
        Assert.Empty(await Store.ReadPublicKeysAsync(OtherTenant, Token));
        Assert.Equal(0, await Store.RedactAsync(OtherTenant, run, null, "{}", Token));

        // The same run id under the other tenant is another chain, not a conflict.
        var theirs = LedgerRecordFactory.RunStart(OtherTenant, run, "theirs");
        Assert.Equal(AppendOutcome.Appended, await Store.AppendAsync(theirs, null, Token));
        Assert.Equal([theirs], await Store.ReadRecordsAsync(OtherTenant, run, Token));
        Assert.Equal(chain, await Store.ReadRecordsAsync(Tenant, run, Token));
        Assert.Equal("theirs", (await Store.ReadRunAsync(OtherTenant, run, Token))!.Workflow);
        Assert.Equal("review", (await Store.ReadRunAsync(Tenant, run, Token))!.Workflow);
    }

    [Fact]
    public async Task Runs_of_one_tenant_are_kept_apart_and_read_in_sequence_order()
    {
        var (a, b) = (NewRun(), NewRun());
        var chainA = LedgerRecordFactory.Chain(Tenant, a, 4);
        var chainB = LedgerRecordFactory.Chain(Tenant, b, 3);
        foreach (var record in chainA.Zip(chainB).SelectMany(p => new[] { p.First, p.Second }).Append(chainA[^1]))
        {
            await Store.AppendAsync(record, null, Token);
        }

        Assert.Equal(chainA, await Store.ReadRecordsAsync(Tenant, a, Token));
        Assert.Equal(chainB, await Store.ReadRecordsAsync(Tenant, b, Token));
        Assert.Equal(chainA[^1], await Store.ReadLastRecordAsync(Tenant, a, Token));
        Assert.Equal(chainB[^1], await Store.ReadLastRecordAsync(Tenant, b, Token));
    }

    [Fact]
    public async Task An_unknown_run_reads_as_empty()
    {
        var run = NewRun();
        Assert.Empty(await Store.ReadRecordsAsync(Tenant, run, Token));
        Assert.Null(await Store.ReadLastRecordAsync(Tenant, run, Token));
        Assert.Null(await Store.ReadStepRecordAsync(Tenant, run, "n1:1", Token));
        Assert.Null(await Store.ReadRunAsync(Tenant, run, Token));
        Assert.Null(await Store.LoadCheckpointAsync(Tenant, run, Token));
        Assert.Null(await Store.ReadHeadAsync(Tenant, run, Token));
        Assert.Empty(await Store.ReadPublicKeysAsync(Tenant, Token));
        Assert.Equal(0, await Store.RedactAsync(Tenant, run, null, "{}", Token));
    }

    [Fact]
    public async Task A_checkpoint_is_committed_with_its_record()
    {
        var run = NewRun();
        var start = LedgerRecordFactory.RunStart(Tenant, run);
        var step = LedgerRecordFactory.Step(Tenant, run, start);
        await Store.AppendAsync(start, null, Token);
        Assert.Null(await Store.LoadCheckpointAsync(Tenant, run, Token));

        var checkpoint = new LedgerCheckpoint(Tenant, run, step.Seq, """{"step_id":"n2:1","steps":1,"state":{"k":"v"}}""");
        await Store.AppendAsync(step, checkpoint, Token);
        Assert.Equal(checkpoint, await Store.LoadCheckpointAsync(Tenant, run, Token));
    }

    [Fact]
    public async Task A_checkpoint_for_another_seq_is_rejected_and_nothing_is_committed()
    {
        var run = NewRun();
        var start = LedgerRecordFactory.RunStart(Tenant, run);
        var step = LedgerRecordFactory.Step(Tenant, run, start);
        await Store.AppendAsync(start, new LedgerCheckpoint(Tenant, run, 1, "{}"), Token);

        var wrongSeq = await Assert.ThrowsAnyAsync<ArgumentException>(
            () => Store.AppendAsync(step, new LedgerCheckpoint(Tenant, run, step.Seq + 1, """{"x":1}"""), Token));
        Assert.Equal("checkpoint", wrongSeq.ParamName);
        await Assert.ThrowsAnyAsync<ArgumentException>(
            () => Store.AppendAsync(step, new LedgerCheckpoint(Tenant, NewRun(), step.Seq, """{"x":1}"""), Token));
        await Assert.ThrowsAnyAsync<ArgumentException>(
            () => Store.AppendAsync(step, new LedgerCheckpoint(OtherTenant, run, step.Seq, """{"x":1}"""), Token));

        Assert.Equal([start], await Store.ReadRecordsAsync(Tenant, run, Token));
        Assert.Equal(new LedgerCheckpoint(Tenant, run, 1, "{}"), await Store.LoadCheckpointAsync(Tenant, run, Token));
    }

    [Fact]
    public async Task The_latest_checkpoint_wins_and_a_repeated_append_leaves_it_alone()
    {
        var run = NewRun();
        var chain = LedgerRecordFactory.Chain(Tenant, run, 4);
        foreach (var record in chain)
        {
            await Store.AppendAsync(record, new LedgerCheckpoint(Tenant, run, record.Seq, $$"""{"at":{{record.Seq}}}"""), Token);
        }

        Assert.Equal(new LedgerCheckpoint(Tenant, run, 4, """{"at":4}"""), await Store.LoadCheckpointAsync(Tenant, run, Token));

        // A retry of an earlier append changes nothing, its checkpoint included.
        Assert.Equal(AppendOutcome.AlreadyPresent,
            await Store.AppendAsync(chain[1], new LedgerCheckpoint(Tenant, run, 2, """{"at":"retry"}"""), Token));
        Assert.Equal(new LedgerCheckpoint(Tenant, run, 4, """{"at":4}"""), await Store.LoadCheckpointAsync(Tenant, run, Token));
    }

    [Fact]
    public async Task A_head_is_saved_replaced_and_read()
    {
        var run = NewRun();
        var first = new LedgerHead(Tenant, run, 3, LedgerRecordFactory.Hash("three"), LedgerRecordFactory.Epoch, "k1", "c2lnbmF0dXJlLTE=");
        await Store.SaveHeadAsync(first, Token);
        Assert.Equal(first, await Store.ReadHeadAsync(Tenant, run, Token));

        var second = new LedgerHead(Tenant, run, 7, LedgerRecordFactory.Hash("seven"), LedgerRecordFactory.Epoch.AddMinutes(5).ToOffset(TimeSpan.FromHours(-5)),
            "k2", "c2lnbmF0dXJlLTI=");
        await Store.SaveHeadAsync(second, Token);
        var read = await Store.ReadHeadAsync(Tenant, run, Token);
        Assert.Equal(second, read);
        Assert.Equal(TimeSpan.Zero, read!.SignedAt.Offset);
    }

    [Fact]
    public async Task Saving_a_public_key_twice_is_idempotent_and_keys_are_listed_per_tenant()
    {
        byte[] k1 = [1, 2, 3, 4];
        byte[] k2 = [5, 6, 7, 8];
        await Store.SavePublicKeyAsync(Tenant, "k1", k1, Token);
        await Store.SavePublicKeyAsync(Tenant, "k1", [.. k1], Token);
        await Store.SavePublicKeyAsync(Tenant, "k2", k2, Token);
        await Store.SavePublicKeyAsync(OtherTenant, "k1", k2, Token);

        var keys = await Store.ReadPublicKeysAsync(Tenant, Token);
        Assert.Equal(["k1", "k2"], keys.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(k1, keys["k1"]);
        Assert.Equal(k2, keys["k2"]);
        var theirs = await Store.ReadPublicKeysAsync(OtherTenant, Token);
        Assert.Equal(k2, Assert.Single(theirs).Value);
    }

    [Fact]
    public async Task A_different_public_key_under_an_existing_id_is_rejected()
    {
        await Store.SavePublicKeyAsync(Tenant, "k1", [1, 2, 3, 4], Token);
        await Assert.ThrowsAsync<InvalidOperationException>(() => Store.SavePublicKeyAsync(Tenant, "k1", [1, 2, 3, 5], Token));
        Assert.Equal([1, 2, 3, 4], (await Store.ReadPublicKeysAsync(Tenant, Token))["k1"]);
    }

    [Fact]
    public async Task Redaction_replaces_payloads_marks_them_and_keeps_every_hash()
    {
        var run = NewRun();
        var start = LedgerRecordFactory.RunStart(Tenant, run);
        var big = LedgerRecordFactory.Step(Tenant, run, start, LongText(200_000));
        var end = LedgerRecordFactory.RunEnd(big);
        foreach (var record in new[] { start, big, end })
        {
            await Store.AppendAsync(record, null, Token);
        }

        const string Notice = """{"at":"2026-03-14T16:00:00.000Z","reason":"gdpr erasure","redacted":true}""";
        Assert.Equal(3, await Store.RedactAsync(Tenant, run, null, Notice, Token));

        var records = await Store.ReadRecordsAsync(Tenant, run, Token);
        Assert.Equal([start with { Payload = Notice, Redacted = true }, big with { Payload = Notice, Redacted = true }, end with { Payload = Notice, Redacted = true }],
            records);
        var step = await Store.ReadStepRecordAsync(Tenant, run, big.StepId!, Token);
        Assert.Equal(big.PayloadHash, step!.PayloadHash);
        Assert.Equal(big.EntryHash, step.EntryHash);
        Assert.True(step.Redacted);

        // The erased payload no longer matches, so the original is now a conflict, never a silent re-insert.
        await Assert.ThrowsAsync<LedgerConflictException>(() => Store.AppendAsync(big, null, Token));
    }

    [Fact]
    public async Task Redacting_a_subset_leaves_the_other_records_intact()
    {
        var run = NewRun();
        var chain = LedgerRecordFactory.Chain(Tenant, run, 5);
        foreach (var record in chain)
        {
            await Store.AppendAsync(record, null, Token);
        }

        const string Notice = """{"redacted":true}""";
        Assert.Equal(2, await Store.RedactAsync(Tenant, run, [2, 4, 4, 99], Notice, Token));
        Assert.Equal(0, await Store.RedactAsync(Tenant, run, [], Notice, Token));

        var records = await Store.ReadRecordsAsync(Tenant, run, Token);
        Assert.Equal(
            chain.Select(r => r.Seq is 2 or 4 ? r with { Payload = Notice, Redacted = true } : r),
            records);
    }

    [Fact]
    public async Task A_step_record_is_found_by_its_step_id()
    {
        var run = NewRun();
        var start = LedgerRecordFactory.RunStart(Tenant, run);
        var writer = LedgerRecordFactory.Step(Tenant, run, start, "draft one", "writer:1");
        var critic = LedgerRecordFactory.Step(Tenant, run, writer, "REVISE", "critic:1");
        var again = LedgerRecordFactory.Step(Tenant, run, critic, "draft two", "writer:2");
        foreach (var record in new[] { start, writer, critic, again })
        {
            await Store.AppendAsync(record, null, Token);
        }

        Assert.Equal(critic, await Store.ReadStepRecordAsync(Tenant, run, "critic:1", Token));
        Assert.Equal(writer, await Store.ReadStepRecordAsync(Tenant, run, "writer:1", Token));
        Assert.Equal(again, await Store.ReadStepRecordAsync(Tenant, run, "writer:2", Token));
        Assert.Null(await Store.ReadStepRecordAsync(Tenant, run, "writer:3", Token));
    }

    [Fact]
    public async Task The_latest_record_of_a_step_id_is_returned_when_it_was_recorded_twice()
    {
        var run = NewRun();
        var start = LedgerRecordFactory.RunStart(Tenant, run);
        var blocked = LedgerRecordFactory.Step(Tenant, run, start, "held for approval", "gate:1");
        var approved = LedgerRecordFactory.Step(Tenant, run, blocked, "approved", "gate:1");
        foreach (var record in new[] { start, blocked, approved })
        {
            await Store.AppendAsync(record, null, Token);
        }

        Assert.Equal(approved, await Store.ReadStepRecordAsync(Tenant, run, "gate:1", Token));
    }

    [Fact]
    public async Task Migrating_again_is_a_no_op()
    {
        var run = NewRun();
        var chain = LedgerRecordFactory.Chain(Tenant, run, 3);
        foreach (var record in chain)
        {
            await Store.AppendAsync(record, null, Token);
        }

        await Store.MigrateAsync(Token);
        await Store.MigrateAsync(Token);

        Assert.Equal(chain, await Store.ReadRecordsAsync(Tenant, run, Token));
        var next = LedgerRecordFactory.Step(Tenant, run, chain[^1]);
        Assert.Equal(AppendOutcome.Appended, await Store.AppendAsync(next, null, Token));
    }

    [Fact]
    public async Task Arguments_are_validated()
    {
        var run = NewRun();
        var record = LedgerRecordFactory.RunStart(Tenant, run);

        await AssertInvalid("record", () => Store.AppendAsync(null!, null, Token));
        await AssertInvalid("record", () => Store.AppendAsync(record with { TenantId = "" }, null, Token));
        await AssertInvalid("record", () => Store.AppendAsync(record with { Seq = 0 }, null, Token));
        await AssertInvalid("record", () => Store.AppendAsync(record with { EntryHash = "" }, null, Token));
        await AssertInvalid("record", () => Store.AppendAsync(record with { Payload = null! }, null, Token));
        await AssertInvalid("tenantId", () => Store.ReadRecordsAsync("", run, Token));
        await AssertInvalid("runId", () => Store.ReadLastRecordAsync(Tenant, null!, Token));
        await AssertInvalid("stepId", () => Store.ReadStepRecordAsync(Tenant, run, "", Token));
        await AssertInvalid("tenantId", () => Store.ReadRunAsync(null!, run, Token));
        await AssertInvalid("runId", () => Store.LoadCheckpointAsync(Tenant, "", Token));
        await AssertInvalid("head", () => Store.SaveHeadAsync(null!, Token));
        await AssertInvalid("tenantId", () => Store.ReadHeadAsync("", run, Token));
        await AssertInvalid("keyId", () => Store.SavePublicKeyAsync(Tenant, "", [1], Token));
        await AssertInvalid("publicKey", () => Store.SavePublicKeyAsync(Tenant, "k", null!, Token));
        await AssertInvalid("tenantId", () => Store.ReadPublicKeysAsync("", Token));
        await AssertInvalid("notice", () => Store.RedactAsync(Tenant, run, null, null!, Token));
        await AssertInvalid("tenantId", () => Store.ListRunsAsync("", new LedgerRunQuery(), Token));
        await AssertInvalid("query", () => Store.ListRunsAsync(Tenant, null!, Token));

        Assert.Empty(await Store.ReadRecordsAsync(Tenant, run, Token));

        static async Task AssertInvalid(string parameter, Func<Task> call)
        {
            var error = await Assert.ThrowsAnyAsync<ArgumentException>(call);
            Assert.Equal(parameter, error.ParamName);
        }
    }

    [Fact]
    public async Task A_cancelled_token_is_honoured()
    {
        var run = NewRun();
        var record = LedgerRecordFactory.RunStart(Tenant, run);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var token = cancelled.Token;

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.AppendAsync(record, null, token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.ReadRecordsAsync(Tenant, run, token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.ReadLastRecordAsync(Tenant, run, token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.ReadRunAsync(Tenant, run, token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.ListRunsAsync(Tenant, new LedgerRunQuery(), token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.SaveHeadAsync(new LedgerHead(Tenant, run, 1, "h", LedgerRecordFactory.Epoch, "k", "s"), token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.SavePublicKeyAsync(Tenant, "k", [1], token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.RedactAsync(Tenant, run, null, "{}", token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.MigrateAsync(token));

        Assert.Empty(await Store.ReadRecordsAsync(Tenant, run, Token));
        Assert.Null(await Store.ReadHeadAsync(Tenant, run, Token));
    }
}
