using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using MeshFlow.Ledger.Canonical;
using MeshFlow.Ledger.Signing;

namespace MeshFlow.Ledger.Evidence;

/// <summary>
/// Evidence bundles: a run's ledger evidence exported as one JSON file (<see cref="EvidenceBundle"/>), read back and
/// verified offline with the ledger's own verifier (<see cref="LedgerVerifier"/>).
/// </summary>
/// <remarks>
/// <para>The format is specified in <c>docs/evidence.md</c>; <c>docs/evidence/verify_bundle.py</c> verifies it with
/// Python's standard library alone and prints the same line, except for a header value written in another form
/// ("0.180"), which the Python one judges by the chain alone (<see cref="EvidenceHeaders"/>).</para>
/// <para><b>Trust.</b> A bundle carries the public keys its head is signed with, so it verifies on its own; but whoever
/// holds the file can replace the keys and re-sign a forged chain. Pass the service's keys (<c>GET /ledger/keys</c>,
/// <see cref="EvidencePublicKeys"/>) as <c>trustedPublicKeys</c> to pin them; otherwise the answer says
/// <see cref="EvidenceVerification.KeysFromBundle"/>.</para>
/// </remarks>
public static partial class EvidenceBundles
{
    /// <summary>The format this version writes and reads.</summary>
    public const string Format = "meshflow-evidence/1";

    /// <summary>Every payload that was not erased is in the bundle.</summary>
    public const string PayloadsIncluded = "included";

    /// <summary>No payload is in the bundle, only the hashes that cover them.</summary>
    public const string PayloadsHashesOnly = "hashes_only";

    private static readonly JsonSerializerOptions WriteOptions = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>
    /// Exports a run: its records, its signed head and the public key the head is signed with. Null when the tenant
    /// has no such run.
    /// </summary>
    /// <param name="store">The ledger.</param>
    /// <param name="tenantId">The tenant.</param>
    /// <param name="runId">The run.</param>
    /// <param name="includePayloads">False for a hashes-only bundle: every payload is left out, every hash kept.</param>
    /// <param name="timeProvider">The clock for <see cref="EvidenceBundle.ExportedAt"/>.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    public static async Task<EvidenceBundle?> CreateAsync(ILedgerStore store, string tenantId, string runId, bool includePayloads,
        TimeProvider? timeProvider = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (await store.ReadRunAsync(tenantId, runId, cancellationToken).ConfigureAwait(false) is null)
        {
            return null;
        }

        // The head is read before the records and again after them: records are only ever appended, so the records
        // read cover the head, and a head signed meanwhile (a run ending as it is exported) is read with its records.
        var head = await store.ReadHeadAsync(tenantId, runId, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<LedgerRecord> records;
        for (var attempt = 1; ; attempt++)
        {
            records = await store.ReadRecordsAsync(tenantId, runId, cancellationToken).ConfigureAwait(false);
            var again = await store.ReadHeadAsync(tenantId, runId, cancellationToken).ConfigureAwait(false);
            if (again == head || attempt == 5)
            {
                break;
            }

            head = again;
        }

        var keys = await store.ReadPublicKeysAsync(tenantId, cancellationToken).ConfigureAwait(false);
        return Create(tenantId, runId, records, head, keys, includePayloads, (timeProvider ?? TimeProvider.System).GetUtcNow());
    }

    /// <summary>Makes the bundle of a run from its records, head and the tenant's public keys (only the head's key is kept).</summary>
    public static EvidenceBundle Create(string tenantId, string runId, IReadOnlyList<LedgerRecord> records, LedgerHead? head,
        IReadOnlyDictionary<string, byte[]> publicKeys, bool includePayloads, DateTimeOffset exportedAt)
    {
        ArgumentNullException.ThrowIfNull(tenantId);
        ArgumentNullException.ThrowIfNull(runId);
        ArgumentNullException.ThrowIfNull(records);
        ArgumentNullException.ThrowIfNull(publicKeys);
        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        if (head is not null && publicKeys.TryGetValue(head.KeyId, out var key))
        {
            keys[head.KeyId] = Convert.ToBase64String(key);
        }

        return new EvidenceBundle
        {
            TenantId = tenantId,
            RunId = runId,
            ExportedAt = EvidenceTimestamps.Format(exportedAt),
            Payloads = includePayloads ? PayloadsIncluded : PayloadsHashesOnly,
            Records = [.. records.OrderBy(r => r.Seq).Select(r => new EvidenceRecord
            {
                Header = EvidenceHeaders.Write(r),
                EntryHash = r.EntryHash,
                Payload = includePayloads ? r.Payload : null,
                Redacted = r.Redacted,
            })],
            Head = head is null ? null : new EvidenceHead
            {
                TenantId = head.TenantId,
                RunId = head.RunId,
                Seq = head.Seq,
                EntryHash = head.EntryHash,
                SignedAt = EvidenceTimestamps.Format(head.SignedAt),
                KeyId = head.KeyId,
                Signature = head.Signature,
            },
            PublicKeys = keys,
        };
    }

    /// <summary>Verifies a bundle with the ledger's verifier.</summary>
    /// <param name="bundle">The bundle, as read or made.</param>
    /// <param name="trustedPublicKeys">
    /// Keys by id that alone may verify the head (pinned, obtained from the service); null to use the bundle's own keys,
    /// which the answer then says (<see cref="EvidenceVerification.KeysFromBundle"/>).
    /// </param>
    /// <exception cref="EvidenceFormatException">The bundle breaks the format (as <see cref="Read(string)"/> would say).</exception>
    public static EvidenceVerification Verify(EvidenceBundle bundle, IReadOnlyDictionary<string, byte[]>? trustedPublicKeys = null)
    {
        ArgumentNullException.ThrowIfNull(bundle);

        // A bundle made in code is held to the same rules as one read from a file.
        bundle = EvidenceBundleReader.Read(JsonSerializer.SerializeToElement(bundle, WriteOptions));
        var problems = new Dictionary<LedgerRecord, string>(ReferenceEqualityComparer.Instance);
        var withheld = new HashSet<LedgerRecord>(ReferenceEqualityComparer.Instance);
        var records = new List<LedgerRecord>(bundle.Records.Count);
        foreach (var source in bundle.Records)
        {
            var record = EvidenceHeaders.Read(source, out var problem);
            if (problem is not null)
            {
                problems[record] = problem;
            }

            if (source.Payload is null && !source.Redacted)
            {
                withheld.Add(record);
            }

            records.Add(record);
        }

        var head = bundle.Head is { } h
            ? new LedgerHead(h.TenantId, h.RunId, h.Seq, h.EntryHash, ParseTimestamp(h.SignedAt), h.KeyId, h.Signature)
            : null;
        var keys = trustedPublicKeys ?? bundle.PublicKeys.ToDictionary(k => k.Key, k => Convert.FromBase64String(k.Value), StringComparer.Ordinal);
        var facts = new LedgerVerifier.RecordFacts(withheld.Contains, r => problems.GetValueOrDefault(r),
            bundle.IncludesPayloads ? RedactionProblem : null,
            trustedPublicKeys is null ? BundleKeyProblem : null);
        var verification = LedgerVerifier.Verify(bundle.TenantId, bundle.RunId, records, head, keys, facts);
        return new EvidenceVerification
        {
            Valid = verification.Valid,
            Records = verification.Records,
            FirstBadSeq = verification.FirstBadSeq,
            Reason = verification.Reason,
            Detail = verification.Detail is { } detail ? EscapeControls(detail) : null,
            Redacted = verification.Redacted,
            HeadSigned = verification.HeadSigned,
            PayloadsChecked = bundle.IncludesPayloads,
            KeysFromBundle = trustedPublicKeys is null,
            HeadSeq = verification.HeadSigned ? head?.Seq : null,
            KeyId = head?.KeyId,
        };
    }

    /// <summary>Reads a bundle from JSON text.</summary>
    /// <exception cref="EvidenceFormatException">Not a bundle this version reads; the message says why in one line.</exception>
    public static EvidenceBundle Read(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        byte[] utf8;
        try
        {
            utf8 = StrictUtf8.GetBytes(json);
        }
        catch (EncoderFallbackException)
        {
            throw new EvidenceFormatException("not a MeshFlow evidence bundle: it is not well-formed Unicode text");
        }

        return EvidenceBundleReader.Read(utf8);
    }

    /// <summary>Reads a bundle from UTF-8 JSON.</summary>
    /// <exception cref="EvidenceFormatException">Not a bundle this version reads; the message says why in one line.</exception>
    public static EvidenceBundle Read(ReadOnlyMemory<byte> utf8Json) => EvidenceBundleReader.Read(utf8Json);

    /// <summary>Reads a bundle from a stream of UTF-8 JSON.</summary>
    /// <exception cref="EvidenceFormatException">Not a bundle this version reads; the message says why in one line.</exception>
    public static async Task<EvidenceBundle> ReadAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        return EvidenceBundleReader.Read(buffer.GetBuffer().AsMemory(0, (int)buffer.Length));
    }

    /// <summary>Reads a bundle file.</summary>
    /// <exception cref="EvidenceFormatException">Not a bundle this version reads; the message says why in one line.</exception>
    public static EvidenceBundle ReadFile(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return EvidenceBundleReader.Read(File.ReadAllBytes(path));
    }

    /// <summary>The bundle as indented JSON text.</summary>
    public static string Serialize(EvidenceBundle bundle)
    {
        ArgumentNullException.ThrowIfNull(bundle);
        return JsonSerializer.Serialize(bundle, WriteOptions);
    }

    /// <summary>Writes the bundle as indented UTF-8 JSON.</summary>
    public static Task WriteAsync(Stream stream, EvidenceBundle bundle, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(bundle);
        return JsonSerializer.SerializeAsync(stream, bundle, WriteOptions, cancellationToken);
    }

    // The redacted flag is covered by no hash, so a record marked redacted must carry what erasing it writes in its
    // place (LedgerPayloads.RedactionNotice), exactly; otherwise any payload could pass unchecked as "redacted".
    private static string? RedactionProblem(LedgerRecord record)
    {
        try
        {
            var canonical = CanonicalJson.Canonicalize(record.Payload);
            using var notice = JsonDocument.Parse(canonical);
            var root = notice.RootElement;
            if (canonical.AsSpan().SequenceEqual(Encoding.UTF8.GetBytes(record.Payload)) && root.ValueKind == JsonValueKind.Object
                && root.EnumerateObject().Count() == 3 && root.TryGetProperty("redacted", out var flag) && flag.ValueKind == JsonValueKind.True
                && root.TryGetProperty("reason", out var reason) && reason.ValueKind == JsonValueKind.String
                && root.TryGetProperty("at", out var at) && at.ValueKind == JsonValueKind.String)
            {
                return null;
            }
        }
        catch (FormatException)
        {
            // Not JSON: not a notice.
        }

        return $"record {record.Seq} is marked redacted but its payload is not a redaction notice";
    }

    // A key from the bundle is trusted only under its own id; otherwise a forger's key could be listed under the
    // service's key id and the verdict would name the service's key.
    private static string? BundleKeyProblem(string keyId, byte[] publicKey) =>
        Ed25519LedgerSigner.KeyIdOf(publicKey) == keyId ? null : "the bundle's key does not have the id it is listed under";

    // Bundle strings (a run id, a key id) end up in the verdict, which stays one line.
    private static string EscapeControls(string text) =>
        ControlPattern().Replace(text, m => string.Create(CultureInfo.InvariantCulture, $"\\u{(int)m.Value[0]:x4}"));

    [GeneratedRegex("[\\u0000-\\u001f\\u007f-\\u009f\\u2028\\u2029]", RegexOptions.CultureInvariant)]
    private static partial Regex ControlPattern();

    private static DateTimeOffset ParseTimestamp(string text) =>
        EvidenceTimestamps.TryParse(text, out var value) ? value : throw new EvidenceFormatException($"invalid evidence bundle: head.signed_at must be a UTC timestamp yyyy-MM-ddTHH:mm:ss.fffZ");
}
