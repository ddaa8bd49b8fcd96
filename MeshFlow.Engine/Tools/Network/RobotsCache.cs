using System.Collections.Concurrent;
using System.Globalization;
using MeshFlow.Tools.BuiltIn;

namespace MeshFlow.Tools.Network;

/// <summary>
/// Each origin's robots.txt, fetched through the guarded client and kept for
/// <see cref="NetworkToolOptions.RobotsCacheDuration"/> on the injected clock.
/// </summary>
/// <remarks>
/// Per RFC 9309: a 2xx answer is parsed (its first 500 KiB); a 4xx answer allows everything; a 5xx answer or a host
/// that cannot be reached disallows everything; redirects are followed up to five times. A host the address rules
/// refuse is reported as refused, not as disallowed, since that is the real reason nothing is fetched.
/// </remarks>
internal sealed class RobotsCache(GuardedHttpClient client, NetworkToolOptions options, TimeProvider time)
{
    private const int MaxEntries = 4096;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>Refuses <paramref name="url"/> when its origin's robots.txt disallows it for the tools' user agent.</summary>
    /// <exception cref="BuiltInToolException">robots.txt disallows the URL, or its host is refused.</exception>
    public async ValueTask CheckAsync(string tool, Uri url, CancellationToken cancellationToken)
    {
        var robots = await GetAsync(tool, url, cancellationToken).ConfigureAwait(false);
        if (!robots.IsAllowed(options.UserAgent, url))
        {
            var origin = $"{url.Scheme}://{url.IdnHost}:{url.Port.ToString(CultureInfo.InvariantCulture)}";
            throw new BuiltInToolException(robots.Unreachable is { } reason
                ? $"{tool}: robots.txt of {origin} could not be fetched ({reason}); RFC 9309 then disallows every page of the site"
                : $"{tool}: robots.txt of {origin} disallows {SafeUrl.Describe(url)}");
        }
    }

    private async ValueTask<RobotsTxt> GetAsync(string tool, Uri url, CancellationToken cancellationToken)
    {
        var origin = url.GetLeftPart(UriPartial.Authority).ToLowerInvariant();
        var now = time.GetUtcNow();
        if (_entries.TryGetValue(origin, out var cached) && cached.Expires > now)
        {
            return cached.Robots;
        }

        var robots = await FetchAsync(tool, new Uri(new Uri(origin), "/robots.txt"), cancellationToken).ConfigureAwait(false);
        if (_entries.Count >= MaxEntries)
        {
            _entries.Clear();
        }

        _entries[origin] = new Entry(robots, time.GetUtcNow() + options.RobotsCacheDuration);
        return robots;
    }

    private async Task<RobotsTxt> FetchAsync(string tool, Uri robotsUrl, CancellationToken cancellationToken)
    {
        GuardedResponse response;
        try
        {
            response = await client.SendAsync(new GuardedRequest(tool, HttpMethod.Get, robotsUrl) { MaxResponseBytes = RobotsTxt.MaxBytes }, cancellationToken).ConfigureAwait(false);
        }
        catch (BuiltInToolException ex) when (ex.InnerException is not AddressRefusedException && !cancellationToken.IsCancellationRequested)
        {
            // Unreachable (or redirected too often, or to another scheme): RFC 9309 says assume a complete disallow.
            return RobotsTxt.UnreachableBecause(Cause(ex.Message));
        }

        return response.Status switch
        {
            >= 200 and < 300 => RobotsTxt.Parse(response.Text()),
            >= 400 and < 500 => RobotsTxt.AllowAll,
            _ => RobotsTxt.UnreachableBecause($"HTTP {response.Status}"),
        };
    }

    // The failure's own words after the tool's name and URL (which the refusal names already).
    private static string Cause(string message)
    {
        var open = message.LastIndexOf('(');
        return open >= 0 && message.EndsWith(')') ? message[(open + 1)..^1]
            : message.Contains("did not answer", StringComparison.Ordinal) ? "no answer in time"
            : message.Contains("redirects", StringComparison.Ordinal) ? "too many redirects" : "unreachable";
    }

    private sealed record Entry(RobotsTxt Robots, DateTimeOffset Expires);
}
