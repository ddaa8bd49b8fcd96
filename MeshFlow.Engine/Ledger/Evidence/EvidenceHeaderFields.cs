using System.Globalization;
using System.Text.Json;

namespace MeshFlow.Ledger.Evidence;

/// <summary>
/// Reads the fields of a bundle record's header as leniently as their types allow (a decimal in any notation, a
/// missing nullable field as null), noting the first field it cannot read at all.
/// </summary>
/// <remarks>
/// Leniency costs nothing: the header read is then compared byte for byte with the canonical header of the record
/// rebuilt from it (<see cref="EvidenceHeaders.Read"/>), so no other form of a value ever verifies.
/// </remarks>
internal sealed class EvidenceHeaderFields(JsonElement header)
{
    /// <summary>The first field that could not be read, or null.</summary>
    public string? Unreadable { get; private set; }

    public string Text(string name) =>
        header.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : Fail(name, string.Empty);

    public string? TextOrNull(string name) =>
        !header.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.String ? value.GetString()
        : Fail<string?>(name, null);

    public long Integer(string name) =>
        header.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var integer)
            ? integer : Fail(name, 0L);

    public int SmallInteger(string name) =>
        Integer(name) is var integer and >= int.MinValue and <= int.MaxValue ? (int)integer : Fail(name, 0);

    public bool TrueOrFalse(string name) =>
        header.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.True or JsonValueKind.False
            ? value.GetBoolean() : Fail(name, false);

    public decimal Decimal(string name) =>
        decimal.TryParse(Text(name), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number : Fail(name, 0m);

    public DateTimeOffset Timestamp(string name) =>
        DateTimeOffset.TryParse(Text(name), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time : Fail(name, DateTimeOffset.UnixEpoch);

    public double? DoubleOrNull(string name) =>
        TextOrNull(name) is not { } text ? null
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) ? number
        : Fail<double?>(name, null);

    private T Fail<T>(string name, T placeholder)
    {
        Unreadable ??= name;
        return placeholder;
    }
}
