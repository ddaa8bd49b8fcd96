using MeshFlow.Ledger.Signing;

namespace MeshFlow.Ledger;

/// <summary>
/// Recomputes a run's chain from its stored records and checks its signed head. Pure: anyone holding the records,
/// the head and the public keys can run it, with no access to the service.
/// </summary>
/// <remarks>
/// Records of format 1 and 2 are verified by their own header rules (<see cref="LedgerHashing"/>), so one chain may
/// mix them. A record of any other format, or a format 1 record that carries an agent DID, is reported as a hash
/// mismatch at its sequence number: nothing says what its hash would cover.
/// </remarks>
public static class LedgerVerifier
{
    /// <summary>Verifies a run's records (in any order) against its head and the tenant's public keys.</summary>
    public static LedgerVerification Verify(string tenantId, string runId, IReadOnlyList<LedgerRecord> records, LedgerHead? head,
        IReadOnlyDictionary<string, byte[]> publicKeys) =>
        Verify(tenantId, runId, records, head, publicKeys, RecordFacts.None);

    /// <summary>
    /// What a caller that rebuilt records from elsewhere (an evidence bundle) knows about them beyond their fields:
    /// which records come without their payload (withheld, not erased: their payload is not checked and they are not
    /// reported as redacted), and which headers cannot stand for the record rebuilt from them, having a field that could
    /// not be read or not being exactly its canonical header (reported as a hash mismatch at their sequence number, with
    /// that problem as the detail), which records marked redacted do not carry a redaction notice (the flag is covered
    /// by no hash: a payload mismatch), and why a public key cannot be trusted under the id it is given by (a bad head
    /// signature).
    /// </summary>
    internal sealed record RecordFacts(Func<LedgerRecord, bool>? PayloadWithheld, Func<LedgerRecord, string?>? HeaderProblem,
        Func<LedgerRecord, string?>? RedactionProblem = null, Func<string, byte[], string?>? KeyProblem = null)
    {
        public static RecordFacts None { get; } = new(null, null);
    }

    /// <summary>Verifies a run's records as <see cref="Verify(string, string, IReadOnlyList{LedgerRecord}, LedgerHead?, IReadOnlyDictionary{string, byte[]})"/> does, with what <paramref name="facts"/> says about them.</summary>
    internal static LedgerVerification Verify(string tenantId, string runId, IReadOnlyList<LedgerRecord> records, LedgerHead? head,
        IReadOnlyDictionary<string, byte[]> publicKeys, RecordFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(publicKeys);
        if (records.Count == 0)
        {
            return Bad(0, null, LedgerVerificationReasons.Empty, $"run '{runId}' has no records", []);
        }

        var ordered = InSequence(records);
        var content = CheckContent(ordered, facts);
        var redacted = new List<long>();
        var expectedPrev = LedgerHashing.Genesis(tenantId, runId);
        for (var i = 0; i < ordered.Length; i++)
        {
            var record = ordered[i];
            var expectedSeq = i + 1L;
            if (record.Seq != expectedSeq)
            {
                return record.Seq < expectedSeq
                    ? Bad(ordered.Length, record.Seq, LedgerVerificationReasons.Duplicate, $"sequence number {record.Seq} appears more than once", redacted)
                    : Bad(ordered.Length, expectedSeq, LedgerVerificationReasons.Gap, $"sequence number {expectedSeq} is missing (the next record is {record.Seq})", redacted);
            }

            if (record.TenantId != tenantId || record.RunId != runId)
            {
                return Bad(ordered.Length, record.Seq, LedgerVerificationReasons.WrongRun, $"record {record.Seq} belongs to another run", redacted);
            }

            if (record.Redacted)
            {
                if (facts.RedactionProblem?.Invoke(record) is { } redactionProblem)
                {
                    return Bad(ordered.Length, record.Seq, LedgerVerificationReasons.PayloadMismatch, redactionProblem, redacted);
                }

                redacted.Add(record.Seq);
            }
            else if (content[i] == ContentCheck.PayloadMismatch)
            {
                return Bad(ordered.Length, record.Seq, LedgerVerificationReasons.PayloadMismatch, $"record {record.Seq}'s payload does not match its payload_hash", redacted);
            }

            if (content[i] == ContentCheck.HashMismatch)
            {
                return Bad(ordered.Length, record.Seq, LedgerVerificationReasons.HashMismatch,
                    facts.HeaderProblem?.Invoke(record) ?? LedgerHashing.HeaderProblem(record) ?? $"record {record.Seq}'s entry_hash is not the hash of its header",
                    redacted);
            }

            if (!string.Equals(record.PrevHash, expectedPrev, StringComparison.Ordinal))
            {
                return Bad(ordered.Length, record.Seq, LedgerVerificationReasons.BrokenLink,
                    record.Seq == 1 ? "record 1 does not start from the run's genesis hash" : $"record {record.Seq}'s prev_hash is not record {record.Seq - 1}'s entry_hash",
                    redacted);
            }

            expectedPrev = record.EntryHash;
        }

        var last = ordered[^1];
        var ended = last.Kind == LedgerRecordKinds.RunEnd;
        if (head is null)
        {
            return ended
                ? Bad(ordered.Length, last.Seq, LedgerVerificationReasons.MissingHeadSignature, "the run ended but its head is not signed", redacted)
                : new LedgerVerification { Valid = true, Records = ordered.Length, Redacted = redacted, HeadSigned = false };
        }

        if (head.Seq > last.Seq)
        {
            return Bad(ordered.Length, last.Seq + 1, LedgerVerificationReasons.TruncatedTail,
                $"the signed head covers {head.Seq} records but only {last.Seq} remain: the tail was cut off", redacted);
        }

        var covered = ordered[head.Seq - 1];
        if (head.TenantId != tenantId || head.RunId != runId || !string.Equals(head.EntryHash, covered.EntryHash, StringComparison.Ordinal))
        {
            return Bad(ordered.Length, head.Seq, LedgerVerificationReasons.HeadMismatch, $"the signed head does not match record {head.Seq}", redacted);
        }

        if (!publicKeys.TryGetValue(head.KeyId, out var publicKey))
        {
            return Bad(ordered.Length, head.Seq, LedgerVerificationReasons.BadHeadSignature, $"the head is signed with unknown key '{head.KeyId}'", redacted);
        }

        if ((facts.KeyProblem?.Invoke(head.KeyId, publicKey) ?? (VerifySignature(head, publicKey) ? null : "the head's signature does not verify")) is { } keyProblem)
        {
            return Bad(ordered.Length, head.Seq, LedgerVerificationReasons.BadHeadSignature, keyProblem, redacted);
        }

        if (head.Seq < last.Seq && ended)
        {
            return Bad(ordered.Length, head.Seq + 1, LedgerVerificationReasons.UnsignedTail,
                $"records {head.Seq + 1} to {last.Seq} come after the signed head of an ended run", redacted);
        }

        return new LedgerVerification { Valid = true, Records = ordered.Length, Redacted = redacted, HeadSigned = true };
    }

    private enum ContentCheck : byte { Ok, PayloadMismatch, HashMismatch }

    // Stores hand records back in sequence order; sort only when they are not.
    private static LedgerRecord[] InSequence(IReadOnlyList<LedgerRecord> records)
    {
        var array = records.ToArray();
        for (var i = 1; i < array.Length; i++)
        {
            if (array[i].Seq < array[i - 1].Seq)
            {
                return [.. array.OrderBy(r => r.Seq)];
            }
        }

        return array;
    }

    // The hashing is independent per record, so long chains are hashed on every core; the verdicts are then read
    // in sequence order, so the first bad sequence number reported does not depend on scheduling.
    private static ContentCheck[] CheckContent(LedgerRecord[] ordered, RecordFacts facts)
    {
        var results = new ContentCheck[ordered.Length];
        ContentCheck Check(LedgerRecord record) =>
            !record.Redacted && facts.PayloadWithheld?.Invoke(record) != true && !LedgerHashing.PayloadHashMatches(record) ? ContentCheck.PayloadMismatch
            : facts.HeaderProblem?.Invoke(record) is not null || !LedgerHashing.EntryHashMatches(record) ? ContentCheck.HashMismatch
            : ContentCheck.Ok;

        if (ordered.Length < ParallelThreshold)
        {
            for (var i = 0; i < ordered.Length; i++)
            {
                results[i] = Check(ordered[i]);
            }
        }
        else
        {
            Parallel.ForEach(System.Collections.Concurrent.Partitioner.Create(0, ordered.Length, ParallelThreshold / 2), range =>
            {
                for (var i = range.Item1; i < range.Item2; i++)
                {
                    results[i] = Check(ordered[i]);
                }
            });
        }

        return results;
    }

    private const int ParallelThreshold = 1_024;

    private static bool VerifySignature(LedgerHead head, byte[] publicKey)
    {
        byte[] signature;
        try
        {
            signature = Convert.FromBase64String(head.Signature);
        }
        catch (FormatException)
        {
            return false;
        }

        return Ed25519LedgerSigner.Verify(publicKey, LedgerHashing.HeadMessage(head), signature);
    }

    private static LedgerVerification Bad(int records, long? seq, string reason, string detail, List<long> redacted) =>
        new() { Valid = false, Records = records, FirstBadSeq = seq, Reason = reason, Detail = detail, Redacted = redacted };
}
