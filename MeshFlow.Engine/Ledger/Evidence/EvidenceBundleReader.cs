using System.Text.Json;
using System.Text.RegularExpressions;

namespace MeshFlow.Ledger.Evidence;

/// <summary>
/// Reads a bundle from JSON, checking every field the verifier relies on and naming the first one at fault by its JSON
/// path. Everything else about a record's header is judged by verification (<see cref="EvidenceHeaders"/>).
/// </summary>
/// <remarks>
/// The JSON must be I-JSON-like (RFC 7493): UTF-8, no duplicate field names, no unpaired surrogates, at most
/// <see cref="MaxDepth"/> levels deep. Unknown top-level fields are ignored. <c>verify_bundle.py</c> checks the same
/// fields with messages of its own, and leaves the form of the head's <c>signed_at</c> to the signature.
/// </remarks>
internal static partial class EvidenceBundleReader
{
    /// <summary>The deepest nesting read (the default of System.Text.Json).</summary>
    public const int MaxDepth = 64;

    private const string FormatPrefix = "meshflow-evidence/";

    private static readonly JsonDocumentOptions Options = new() { MaxDepth = MaxDepth };

    public static EvidenceBundle Read(ReadOnlyMemory<byte> utf8)
    {
        if (utf8.Span.StartsWith("\uFEFF"u8))
        {
            utf8 = utf8[3..];
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(utf8, Options);
        }
        catch (JsonException e)
        {
            throw NotABundle($"it is not JSON ({FirstLine(e.Message)})");
        }

        using (document)
        {
            CheckWellFormed(document.RootElement);
            return Read(document.RootElement);
        }
    }

    /// <summary>Checks and reads a parsed bundle; the bundle holds copies, so the document may be disposed after.</summary>
    public static EvidenceBundle Read(JsonElement root)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw NotABundle("it is not a JSON object");
        }

        if (!root.TryGetProperty("format", out var formatValue))
        {
            throw NotABundle("it has no \"format\" field");
        }

        if (formatValue.ValueKind != JsonValueKind.String)
        {
            throw NotABundle("its format is not a string");
        }

        var format = formatValue.GetString()!;
        if (!format.StartsWith(FormatPrefix, StringComparison.Ordinal))
        {
            throw NotABundle($"its format is \"{format}\"");
        }

        if (format != EvidenceBundles.Format)
        {
            throw new EvidenceFormatException($"unsupported evidence bundle format \"{format}\": this verifier reads {EvidenceBundles.Format}");
        }

        var tenantId = String(root, "tenant_id", "tenant_id");
        var runId = String(root, "run_id", "run_id");
        var exportedAt = String(root, "exported_at", "exported_at");
        var payloads = String(root, "payloads", "payloads");
        if (payloads is not (EvidenceBundles.PayloadsIncluded or EvidenceBundles.PayloadsHashesOnly))
        {
            throw Invalid("payloads", $"must be \"{EvidenceBundles.PayloadsIncluded}\" or \"{EvidenceBundles.PayloadsHashesOnly}\"");
        }

        var included = payloads == EvidenceBundles.PayloadsIncluded;
        var recordsValue = Required(root, "records", "records");
        if (recordsValue.ValueKind != JsonValueKind.Array)
        {
            throw Invalid("records", "must be an array");
        }

        var records = new List<EvidenceRecord>(recordsValue.GetArrayLength());
        var index = 0;
        foreach (var item in recordsValue.EnumerateArray())
        {
            records.Add(ReadRecord(item, $"records[{index++}]", included));
        }

        var headValue = Required(root, "head", "head");
        var head = headValue.ValueKind switch
        {
            JsonValueKind.Null => null,
            JsonValueKind.Object => ReadHead(headValue),
            _ => throw Invalid("head", "must be an object or null"),
        };

        var keysValue = Required(root, "public_keys", "public_keys");
        if (keysValue.ValueKind != JsonValueKind.Object)
        {
            throw Invalid("public_keys", "must be an object");
        }

        var keys = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in keysValue.EnumerateObject())
        {
            var path = $"public_keys[\"{key.Name}\"]";
            if (key.Value.ValueKind != JsonValueKind.String || !IsBase64(key.Value.GetString()!))
            {
                throw Invalid(path, "must be base64");
            }

            keys[key.Name] = key.Value.GetString()!;
        }

        return new EvidenceBundle
        {
            Format = format,
            TenantId = tenantId,
            RunId = runId,
            ExportedAt = exportedAt,
            Payloads = payloads,
            Records = records,
            Head = head,
            PublicKeys = keys,
        };
    }

    private static EvidenceRecord ReadRecord(JsonElement item, string path, bool payloadsIncluded)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(path, "must be an object");
        }

        var header = Required(item, "header", path + ".header");
        if (header.ValueKind != JsonValueKind.Object)
        {
            throw Invalid(path + ".header", "must be an object");
        }

        Integer(header, "seq", path + ".header.seq");
        foreach (var key in (ReadOnlySpan<string>)["tenant_id", "run_id", "prev_hash", "payload_hash"])
        {
            String(header, key, $"{path}.header.{key}");
        }

        var entryHash = String(item, "entry_hash", path + ".entry_hash");
        var payload = Required(item, "payload", path + ".payload");
        if (payloadsIncluded ? payload.ValueKind != JsonValueKind.String : payload.ValueKind != JsonValueKind.Null)
        {
            throw Invalid(path + ".payload", payloadsIncluded
                ? $"must be a string (payloads are \"{EvidenceBundles.PayloadsIncluded}\")"
                : $"must be null (payloads are \"{EvidenceBundles.PayloadsHashesOnly}\")");
        }

        var redacted = Required(item, "redacted", path + ".redacted");
        if (redacted.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            throw Invalid(path + ".redacted", "must be true or false");
        }

        return new EvidenceRecord
        {
            Header = header.Clone(),
            EntryHash = entryHash,
            Payload = payload.ValueKind == JsonValueKind.String ? payload.GetString() : null,
            Redacted = redacted.GetBoolean(),
        };
    }

    private static EvidenceHead ReadHead(JsonElement head)
    {
        var tenantId = String(head, "tenant_id", "head.tenant_id");
        var runId = String(head, "run_id", "head.run_id");
        var seq = Integer(head, "seq", "head.seq");
        if (seq < 1)
        {
            throw Invalid("head.seq", "must be a positive integer");
        }

        var entryHash = String(head, "entry_hash", "head.entry_hash");
        var signedAt = String(head, "signed_at", "head.signed_at");
        if (!EvidenceTimestamps.TryParse(signedAt, out _))
        {
            throw Invalid("head.signed_at", "must be a UTC timestamp yyyy-MM-ddTHH:mm:ss.fffZ");
        }

        // The id is printed in the verdict and names the key the signature is checked with, so it has KeyIdOf's form.
        var keyId = String(head, "key_id", "head.key_id");
        if (!KeyIdPattern().IsMatch(keyId))
        {
            throw Invalid("head.key_id", "must be ed25519: and 16 lowercase hex digits");
        }
        var signature = String(head, "signature", "head.signature");
        if (!IsBase64(signature))
        {
            throw Invalid("head.signature", "must be base64");
        }

        return new EvidenceHead { TenantId = tenantId, RunId = runId, Seq = seq, EntryHash = entryHash, SignedAt = signedAt, KeyId = keyId, Signature = signature };
    }

    private static JsonElement Required(JsonElement parent, string name, string path) =>
        parent.TryGetProperty(name, out var value) ? value : throw Invalid(path, "is missing");

    private static string String(JsonElement parent, string name, string path)
    {
        var value = Required(parent, name, path);
        return value.ValueKind == JsonValueKind.String ? value.GetString()! : throw Invalid(path, "must be a string");
    }

    private static long Integer(JsonElement parent, string name, string path) =>
        Required(parent, name, path) is { ValueKind: JsonValueKind.Number } number && number.TryGetInt64(out var value)
            ? value : throw Invalid(path, "must be an integer");

    /// <summary>Strict base64: the standard alphabet, padded, no whitespace.</summary>
    internal static bool IsBase64(string text) => Base64Pattern().IsMatch(text);

    // Field names are unique and every string (names included) is well-formed Unicode; System.Text.Json checks only
    // when a string is read, so each one is read here.
    private static void CheckWellFormed(JsonElement element)
    {
        try
        {
            switch (element.ValueKind)
            {
                case JsonValueKind.Object:
                    var names = new HashSet<string>(StringComparer.Ordinal);
                    foreach (var property in element.EnumerateObject())
                    {
                        if (!names.Add(property.Name))
                        {
                            throw NotABundle($"a JSON object has the field '{property.Name}' twice");
                        }

                        CheckWellFormed(property.Value);
                    }

                    break;
                case JsonValueKind.Array:
                    foreach (var item in element.EnumerateArray())
                    {
                        CheckWellFormed(item);
                    }

                    break;
                case JsonValueKind.String:
                    element.GetString();
                    break;
            }
        }
        catch (InvalidOperationException)
        {
            throw NotABundle("a JSON string is not well-formed Unicode");
        }
    }

    private static EvidenceFormatException NotABundle(string why) => new($"not a MeshFlow evidence bundle: {why}");

    private static EvidenceFormatException Invalid(string path, string problem) => new($"invalid evidence bundle: {path} {problem}");

    private static string FirstLine(string message) =>
        message.Split('\n', 2)[0].Trim();

    [GeneratedRegex(@"\A(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?\z", RegexOptions.CultureInvariant)]
    private static partial Regex Base64Pattern();

    [GeneratedRegex(@"\Aed25519:[0-9a-f]{16}\z", RegexOptions.CultureInvariant)]
    private static partial Regex KeyIdPattern();
}
