using System.Globalization;
using System.Net.Http.Headers;

namespace MeshFlow.Http;

/// <summary>
/// A provider's <c>Retry-After</c> (seconds or an HTTP date), as a wait from now: never negative, never more than a
/// day, and nothing for a value that is not a finite number or a date. Model providers' answers and webhook receivers'
/// are read alike.
/// </summary>
internal static class RetryAfter
{
    private static readonly TimeSpan Longest = TimeSpan.FromDays(1);

    public static TimeSpan? Of(RetryConditionHeaderValue? header) => Of(header, DateTimeOffset.UtcNow);

    public static TimeSpan? Of(RetryConditionHeaderValue? header, DateTimeOffset now) => header switch
    {
        { Delta: { } delta } => Clamp(delta),
        { Date: { } date } => Clamp(date - now),
        _ => null,
    };

    public static TimeSpan? Of(string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
        {
            return Seconds(seconds);
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at)
            ? Clamp(at - DateTimeOffset.UtcNow)
            : null;
    }

    /// <summary>A wait given in seconds (Google's <c>RetryInfo.retryDelay</c> is one).</summary>
    public static TimeSpan? Seconds(double seconds) =>
        double.IsFinite(seconds) ? Clamp(TimeSpan.FromSeconds(Math.Clamp(seconds, 0, Longest.TotalSeconds))) : null;

    private static TimeSpan Clamp(TimeSpan wait) => wait < TimeSpan.Zero ? TimeSpan.Zero : wait > Longest ? Longest : wait;
}
