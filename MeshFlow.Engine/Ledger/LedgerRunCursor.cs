using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace MeshFlow.Ledger;

/// <summary>
/// The opaque cursor of <see cref="ILedgerStore.ListRunsAsync"/>: the position (creation time in unix milliseconds,
/// run id) of the last run of a page, as base64url text; and the range a store selects for a query. Every store uses
/// it, so a cursor reads the same, and selects the same runs, whichever database issued it.
/// </summary>
/// <remarks>
/// A cursor is a position, not a capability: it names no tenant and grants nothing, since every listing is scoped to
/// the caller's tenant. Callers must treat it as opaque; its format may change with its version prefix.
/// </remarks>
public static class LedgerRunCursor
{
    private const string Version = "1";
    private const char Separator = ':';

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>The cursor of the position just after <paramref name="run"/>.</summary>
    public static string Encode(LedgerRunSummary run)
    {
        ArgumentNullException.ThrowIfNull(run);
        ArgumentException.ThrowIfNullOrEmpty(run.RunId, nameof(run));
        var text = string.Create(CultureInfo.InvariantCulture, $"{Version}{Separator}{run.CreatedAt.ToUnixTimeMilliseconds()}{Separator}{run.RunId}");
        return Base64Url.EncodeToString(StrictUtf8.GetBytes(text));
    }

    /// <summary>The position a cursor names: the creation time (unix milliseconds) and run id of a page's last run.</summary>
    /// <exception cref="FormatException">The text is not a cursor this ledger issued.</exception>
    public static (long CreatedAtMs, string RunId) Decode(string cursor)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        string text;
        try
        {
            text = StrictUtf8.GetString(Base64Url.DecodeFromChars(cursor));
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            throw Malformed(ex);
        }

        var parts = text.Split(Separator, 3);
        if (parts.Length != 3 || parts[0] != Version || parts[2].Length == 0
            || !long.TryParse(parts[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var createdAtMs))
        {
            throw Malformed(null);
        }

        return (createdAtMs, parts[2]);
    }

    /// <summary>
    /// The stored runs a store selects for <paramref name="query"/>, in stored units: those created at or after
    /// <c>FromMs</c> (unix milliseconds) whose position (created_at, run id) is below (<c>BelowMs</c>,
    /// <c>BelowRunId</c>), the lower of the cursor's position and <see cref="LedgerRunQuery.CreatedBefore"/>.
    /// </summary>
    /// <remarks>
    /// One upper bound on (created_at, run id), rather than a time bound and a cursor bound, lets a database pick the
    /// index that also serves the filters. (<c>BelowMs</c>, "") is above exactly the runs created before
    /// <c>BelowMs</c>, since no run id sorts below "". Instants are rounded up to whole milliseconds: a run stored at
    /// millisecond <c>m</c> was created at or after an instant exactly when <c>m</c> is at or after its rounded value.
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="LedgerRunQuery.Limit"/> is not from 1 to
    /// <see cref="LedgerRunQuery.MaxLimit"/>.</exception>
    /// <exception cref="FormatException"><see cref="LedgerRunQuery.Cursor"/> is not a cursor this ledger issued.</exception>
    public static (long FromMs, long BelowMs, string BelowRunId) Bounds(LedgerRunQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(query.Limit, LedgerRunQuery.MaxLimit);

        var from = query.CreatedAfter is { } after ? CeilingMilliseconds(after) : long.MinValue;
        var before = query.CreatedBefore is { } instant ? CeilingMilliseconds(instant) : long.MaxValue;
        if (query.Cursor is null)
        {
            return (from, before, string.Empty);
        }

        var (createdAtMs, runId) = Decode(query.Cursor);
        return createdAtMs < before ? (from, createdAtMs, runId) : (from, before, string.Empty);
    }

    private static long CeilingMilliseconds(DateTimeOffset instant)
    {
        var floor = instant.ToUnixTimeMilliseconds();
        return DateTimeOffset.FromUnixTimeMilliseconds(floor) < instant ? floor + 1 : floor;
    }

    private static FormatException Malformed(Exception? inner) =>
        new("the cursor is not one this ledger issued: pass back a NextCursor unchanged, or no cursor for the first page", inner);
}
