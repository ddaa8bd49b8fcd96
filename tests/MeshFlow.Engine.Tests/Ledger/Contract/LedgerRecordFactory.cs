using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MeshFlow.Ledger;

namespace MeshFlow.Tests.Ledger.Contract;

/// <summary>
/// Makes ledger records for store tests. Stores never compute hashes, so the hashes here are merely distinct hex
/// strings derived from the record's content: the same inputs give the same record, other inputs another hash.
/// </summary>
internal static class LedgerRecordFactory
{
    public const string SigningKeyId = "key-2026-01";

    public static readonly DateTimeOffset Epoch = new(2026, 3, 14, 15, 9, 26, 535, TimeSpan.Zero);

    public static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    public static string Genesis(string tenantId, string runId) => Hash($"genesis\n{tenantId}\n{runId}\n");

    /// <summary>A run_start record (seq 1) whose payload names the workflow, made at <paramref name="createdAt"/> if given.</summary>
    public static LedgerRecord RunStart(string tenantId, string runId, string workflow = "review", DateTimeOffset? createdAt = null)
    {
        var record = Create(tenantId, runId, 1, Genesis(tenantId, runId), LedgerRecordKinds.RunStart,
            $$"""{"input":"draft the clause","workflow":"{{workflow}}","workflow_digest":"{{Hash(workflow)}}"}""");
        return createdAt is { } at ? Rehash(record with { Timestamp = at }) : record;
    }

    /// <summary>A step record after <paramref name="previous"/> (or the first record of the run).</summary>
    public static LedgerRecord Step(string tenantId, string runId, LedgerRecord? previous, string? output = null, string? stepId = null)
    {
        var seq = (previous?.Seq ?? 0) + 1;
        output ??= $"step {seq} of {runId}";
        stepId ??= $"n{seq}:1";
        var payload = $$"""{"input_task":"task {{seq}}","output":{{Quote(output)}},"step_id":{{Quote(stepId)}}}""";
        return Create(tenantId, runId, seq, previous?.EntryHash ?? Genesis(tenantId, runId), LedgerRecordKinds.Step, payload, stepId);
    }

    /// <summary>A run_end record after <paramref name="previous"/> with the final status.</summary>
    public static LedgerRecord RunEnd(LedgerRecord previous, string status = "completed") =>
        Create(previous.TenantId, previous.RunId, previous.Seq + 1, previous.EntryHash, LedgerRecordKinds.RunEnd,
            $$"""{"output":"done","status":"{{status}}"}""");

    /// <summary>A chain of <paramref name="count"/> records: run_start, then steps.</summary>
    public static List<LedgerRecord> Chain(string tenantId, string runId, int count, string workflow = "review")
    {
        var records = new List<LedgerRecord> { RunStart(tenantId, runId, workflow) };
        while (records.Count < count)
        {
            records.Add(Step(tenantId, runId, records[^1]));
        }

        return records;
    }

    /// <summary>The same record with another payload and therefore other hashes: a fork of the chain.</summary>
    public static LedgerRecord Fork(LedgerRecord record, string payload = """{"output":"a different story"}""") =>
        Rehash(record with { Payload = payload });

    /// <summary>Recomputes the record's payload and entry hashes from its content.</summary>
    public static LedgerRecord Rehash(LedgerRecord record)
    {
        var withPayloadHash = record with { PayloadHash = Hash(record.Payload) };
        return withPayloadHash with { EntryHash = Hash(Header(withPayloadHash)) };
    }

    public static string Quote(string text) => System.Text.Json.JsonSerializer.Serialize(text);

    private static LedgerRecord Create(string tenantId, string runId, long seq, string prevHash, string kind, string payload, string? stepId = null)
    {
        var isStep = kind == LedgerRecordKinds.Step;
        var record = new LedgerRecord
        {
            TenantId = tenantId,
            RunId = runId,
            Seq = seq,
            PrevHash = prevHash,
            Timestamp = Epoch.AddMilliseconds(seq * 7),
            Kind = kind,
            NodeId = isStep ? $"n{seq}" : null,
            AgentId = isStep ? $"did:mesh:agent-{seq % 3}" : null,
            StepId = isStep ? stepId : null,
            Verdict = isStep ? "commit" : null,
            BlockReason = isStep && seq % 5 == 0 ? "budget" : null,
            TokensInput = 100 + seq,
            TokensOutput = 200 + seq,
            TokensEstimated = seq % 2 == 0,
            CostUsd = 0.000123456789m * seq,
            DurationMs = 12.345 + seq,
            Uncertainty = seq % 3 == 0 ? 0.125 * (seq % 8) : null,
            SigningKeyId = SigningKeyId,
            PayloadHash = string.Empty,
            EntryHash = string.Empty,
            Payload = payload,
        };
        return Rehash(record);
    }

    private static string Header(LedgerRecord r) => string.Join('\n',
        r.FormatVersion.ToString(CultureInfo.InvariantCulture), r.TenantId, r.RunId, r.Seq.ToString(CultureInfo.InvariantCulture), r.PrevHash,
        r.Timestamp.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture), r.Kind, r.NodeId, r.AgentId, r.StepId, r.Verdict,
        r.BlockReason, r.TokensInput.ToString(CultureInfo.InvariantCulture), r.TokensOutput.ToString(CultureInfo.InvariantCulture),
        r.TokensEstimated ? "1" : "0", r.CostUsd.ToString(CultureInfo.InvariantCulture), r.DurationMs.ToString("R", CultureInfo.InvariantCulture),
        r.Uncertainty?.ToString("R", CultureInfo.InvariantCulture), r.SigningKeyId, r.PayloadHash);
}
