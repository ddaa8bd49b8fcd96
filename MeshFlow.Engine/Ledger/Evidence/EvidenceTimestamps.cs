using System.Globalization;

namespace MeshFlow.Ledger.Evidence;

/// <summary>A bundle's own timestamps (<c>exported_at</c>, the head's <c>signed_at</c>): UTC with milliseconds, <c>yyyy-MM-ddTHH:mm:ss.fffZ</c>.</summary>
internal static class EvidenceTimestamps
{
    private const string Pattern = "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fff'Z'";

    public static string Format(DateTimeOffset value) => value.UtcDateTime.ToString(Pattern, CultureInfo.InvariantCulture);

    /// <summary>
    /// Reads a timestamp written exactly as <see cref="Format"/> writes it: the head's signature covers <c>signed_at</c>
    /// as text, so only the text the ledger signed may stand for the time it parses to.
    /// </summary>
    public static bool TryParse(string text, out DateTimeOffset value) =>
        DateTimeOffset.TryParseExact(text, Pattern, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value)
        && string.Equals(Format(value), text, StringComparison.Ordinal);
}
