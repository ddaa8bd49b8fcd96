using MeshFlow.Ledger;
using MeshFlow.Ledger.Signing;

namespace MeshFlow.Benchmarks;

/// <summary>A valid chain of step records with realistic payloads, built the way the ledger builds them.</summary>
internal static class SyntheticChain
{
    public static List<LedgerRecord> Build(string tenant, string run, int count, ILedgerSigner signer)
    {
        var records = new List<LedgerRecord>(count);
        var start = new DateTimeOffset(2026, 11, 25, 9, 0, 0, TimeSpan.Zero);
        for (var seq = 1; seq <= count; seq++)
        {
            var payload = LedgerPayloads.Step(new StepPayload
            {
                StepId = $"writer:{seq}",
                Iteration = seq,
                InputTask = "Draft a mutual NDA clause covering confidential information and its permitted uses.",
                Output = $"Draft {seq}: Each party shall hold the other's Confidential Information in strict confidence and use it solely for the Purpose.",
                OutputChars = 120,
                Model = "gpt-4o-mini",
            });
            var record = new LedgerRecord
            {
                TenantId = tenant, RunId = run, Seq = seq,
                PrevHash = seq == 1 ? LedgerHashing.Genesis(tenant, run) : records[^1].EntryHash,
                Timestamp = start.AddMilliseconds(seq), Kind = LedgerRecordKinds.Step, NodeId = "writer", AgentId = "writer",
                StepId = $"writer:{seq}", Verdict = "commit", TokensInput = 420, TokensOutput = 96, CostUsd = 0.000121m,
                DurationMs = 812.345, SigningKeyId = signer.KeyId, PayloadHash = LedgerHashing.PayloadHash(payload),
                EntryHash = string.Empty, Payload = payload,
            };
            records.Add(record with { EntryHash = LedgerHashing.EntryHash(record) });
        }

        return records;
    }
}
