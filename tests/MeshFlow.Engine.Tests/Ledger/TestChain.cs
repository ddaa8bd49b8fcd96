using MeshFlow.Ledger;
using MeshFlow.Ledger.Signing;

namespace MeshFlow.Tests.Ledger;

/// <summary>Builds valid, signed chains in memory, the way the ledger does, for verifier tests.</summary>
internal static class TestChain
{
    public static readonly DateTimeOffset Start = new(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);

    public static List<LedgerRecord> Build(string tenant, string run, int count, ILedgerSigner signer, Random? random = null)
    {
        random ??= new Random(7);
        var records = new List<LedgerRecord>(count);
        for (var seq = 1; seq <= count; seq++)
        {
            var kind = seq == 1 ? LedgerRecordKinds.RunStart : seq == count ? LedgerRecordKinds.RunEnd : LedgerRecordKinds.Step;
            var payload = $"{{\"output\":\"step {seq} said {random.Next()}\",\"step_id\":\"n{seq}:1\"}}";
            var record = new LedgerRecord
            {
                TenantId = tenant,
                RunId = run,
                Seq = seq,
                PrevHash = seq == 1 ? LedgerHashing.Genesis(tenant, run) : records[^1].EntryHash,
                Timestamp = Start.AddMilliseconds(seq * 17),
                Kind = kind,
                NodeId = kind == LedgerRecordKinds.Step ? $"n{seq}" : null,
                AgentId = kind == LedgerRecordKinds.Step ? $"agent-{seq % 3}" : null,
                StepId = kind == LedgerRecordKinds.Step ? $"n{seq}:1" : null,
                Verdict = kind == LedgerRecordKinds.Step ? "commit" : null,
                BlockReason = seq % 5 == 0 ? "budget" : null,
                TokensInput = random.Next(1, 5000),
                TokensOutput = random.Next(1, 5000),
                TokensEstimated = seq % 2 == 0,
                CostUsd = random.Next(0, 100_000) / 1_000_000m,
                DurationMs = random.Next(0, 10_000_000) / 1000.0,
                Uncertainty = seq % 3 == 0 ? random.NextDouble() : null,
                SigningKeyId = signer.KeyId,
                PayloadHash = LedgerHashing.PayloadHash(payload),
                EntryHash = string.Empty,
                Payload = payload,
            };
            records.Add(record with { EntryHash = LedgerHashing.EntryHash(record) });
        }

        return records;
    }

    /// <summary>
    /// The record after <paramref name="tail"/>, chained and hashed the way the ledger does it: for store calls that
    /// append a record themselves (a pause, a decision). Stamped one millisecond after the tail.
    /// </summary>
    public static LedgerRecord Next(LedgerRecord tail, string kind, string payload, string signingKeyId)
    {
        var record = new LedgerRecord
        {
            TenantId = tail.TenantId,
            RunId = tail.RunId,
            Seq = tail.Seq + 1,
            PrevHash = tail.EntryHash,
            Timestamp = LedgerHashing.Truncate(tail.Timestamp).AddMilliseconds(1),
            Kind = kind,
            SigningKeyId = signingKeyId,
            PayloadHash = LedgerHashing.PayloadHash(payload),
            EntryHash = string.Empty,
            Payload = payload,
        };
        return record with { EntryHash = LedgerHashing.EntryHash(record) };
    }

    public static LedgerHead Sign(LedgerRecord last, ILedgerSigner signer, DateTimeOffset? at = null)
    {
        var head = new LedgerHead(last.TenantId, last.RunId, last.Seq, last.EntryHash, at ?? Start.AddHours(1), signer.KeyId, string.Empty);
        return head with { Signature = Convert.ToBase64String(signer.Sign(LedgerHashing.HeadMessage(head))) };
    }

    public static Dictionary<string, byte[]> Keys(params ILedgerSigner[] signers) =>
        signers.ToDictionary(s => s.KeyId, s => s.PublicKey);
}
