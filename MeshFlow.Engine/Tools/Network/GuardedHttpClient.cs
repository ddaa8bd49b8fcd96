using System.Globalization;
using System.Net;
using System.Net.Sockets;
using MeshFlow.Tools.BuiltIn;

namespace MeshFlow.Tools.Network;

/// <summary>
/// The one HTTP client of the network tools: it connects only where <see cref="NetworkAddressRules"/> allow (judged on
/// the address actually connected to), uses no proxy and no cookies, follows redirects itself so each hop is checked
/// again, waits for the host's rate-limit slot, and reads at most a capped number of body bytes.
/// </summary>
/// <remarks>
/// The <see cref="HttpClient"/> is made on first use: engines are made by the thousand (in tests) and most never call a
/// network tool, so making one must allocate no handler and no socket.
/// </remarks>
internal sealed class GuardedHttpClient
{
    private readonly NetworkToolOptions _options;
    private readonly Lazy<HttpClient> _client;
    private readonly HostRateLimiter _limiter;

    public GuardedHttpClient(NetworkToolOptions options, TimeProvider time)
    {
        _options = options;
        Rules = new NetworkAddressRules(options.AllowPrivateAddresses, options.Resolve, options.AllowedPrivateEndpoints);
        _limiter = new HostRateLimiter(options.RequestsPerSecondPerHost, time);
        _client = new Lazy<HttpClient>(CreateClient, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The address rules every connection is held to.</summary>
    public NetworkAddressRules Rules { get; }

    /// <summary>Whether the underlying client has been made (tests check that making tools makes none).</summary>
    public bool ClientCreated => _client.IsValueCreated;

    /// <summary>Sends <paramref name="request"/>, following at most <see cref="NetworkToolOptions.MaxRedirects"/> redirects.</summary>
    /// <exception cref="BuiltInToolException">Refused (scheme, address, too many redirects) or failed; the message names no query string.</exception>
    public async Task<GuardedResponse> SendAsync(GuardedRequest request, CancellationToken cancellationToken)
    {
        var url = request.Url;
        var method = request.Method;
        var body = request.Body;
        var callerHeaders = request.CallerHeaders;
        for (var redirects = 0; ; redirects++)
        {
            SafeUrl.CheckScheme(request.Tool, url);
            if (request.BeforeEachHop is { } check)
            {
                await check(url, cancellationToken).ConfigureAwait(false);
            }

            await _limiter.WaitAsync(url.IdnHost, cancellationToken).ConfigureAwait(false);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(_options.RequestTimeout);
            using var message = Message(method, url, request.Headers, callerHeaders, body);
            HttpResponseMessage response;
            try
            {
                response = await _client.Value.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                throw Failure(request.Tool, url, ex);
            }
            catch (HttpRequestException ex) when (cancellationToken.IsCancellationRequested)
            {
                // Cancelling can abort the connection before the handler notices the token, so the abort surfaces as a
                // failure; the caller asked to stop, and is told so.
                throw new OperationCanceledException("The request was cancelled.", ex, cancellationToken);
            }

            using (response)
            {
                var status = (int)response.StatusCode;
                if (status is 301 or 302 or 303 or 307 or 308 && response.Headers.Location is { } location)
                {
                    if (redirects >= _options.MaxRedirects)
                    {
                        throw new BuiltInToolException(string.Create(CultureInfo.InvariantCulture,
                            $"{request.Tool}: {SafeUrl.Describe(request.Url)} redirects more than {_options.MaxRedirects} times; not followed"));
                    }

                    var next = location.IsAbsoluteUri ? location : new Uri(url, location);
                    if (status is 301 or 302 or 303 && method != HttpMethod.Head)
                    {
                        // What browsers do: only 307 and 308 repeat the method and the body.
                        method = HttpMethod.Get;
                        body = null;
                    }

                    CheckRedirect(request.Tool, url, next, status, body is not null);
                    if (!SameOrigin(url, next))
                    {
                        // Any caller header may be a credential (X-Api-Key, a custom token) meant for the first origin
                        // alone: none goes to another, and none comes back should a later hop return.
                        callerHeaders = new Dictionary<string, string>();
                    }

                    url = next;
                    continue;
                }

                try
                {
                    return await Read(response, url, request.MaxResponseBytes ?? _options.MaxResponseBytes, timeout.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
                {
                    throw Failure(request.Tool, url, ex);
                }
                catch (Exception ex) when (ex is HttpRequestException or IOException && cancellationToken.IsCancellationRequested)
                {
                    // A read that the cancellation aborts is a cancellation, not a failure.
                    throw new OperationCanceledException("The request was cancelled.", ex, cancellationToken);
                }
            }
        }
    }

    /// <summary>
    /// Refuses a redirect hop that would weaken the request: https to http (what follows would travel in cleartext; .NET's
    /// own handler refuses it too), and a 307 or 308 to another origin of a request with a body, which would re-send
    /// the body to a site the caller never named. <paramref name="hasBody"/> is judged after a 301, 302 or 303 has
    /// turned the request into a GET without one.
    /// </summary>
    /// <exception cref="BuiltInToolException">The hop is refused; the message names both ends without a query string.</exception>
    internal static void CheckRedirect(string tool, Uri from, Uri to, int status, bool hasBody)
    {
        if (from.Scheme == Uri.UriSchemeHttps && to.Scheme == Uri.UriSchemeHttp)
        {
            throw new BuiltInToolException(
                $"{tool}: {SafeUrl.Describe(from)} redirects to {SafeUrl.Describe(to)}, from https to http; a redirect that drops encryption is not followed");
        }

        if (status is 307 or 308 && hasBody && !SameOrigin(from, to))
        {
            throw new BuiltInToolException(string.Create(CultureInfo.InvariantCulture,
                $"{tool}: {SafeUrl.Describe(from)} answers {status} with a redirect to another site, {SafeUrl.Describe(to)}; not followed, as the request body would be re-sent there"));
        }
    }

    private static bool SameOrigin(Uri a, Uri b) =>
        a.Scheme == b.Scheme && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port;

    private static HttpRequestMessage Message(
        HttpMethod method, Uri url, IReadOnlyDictionary<string, string> toolHeaders, IReadOnlyDictionary<string, string> callerHeaders, byte[]? body)
    {
        var message = new HttpRequestMessage(method, url) { Version = HttpVersion.Version11 };
        if (body is not null)
        {
            message.Content = new ByteArrayContent(body);
        }

        foreach (var (name, value) in toolHeaders.Concat(callerHeaders))
        {
            if (!message.Headers.TryAddWithoutValidation(name, value))
            {
                message.Content ??= new ByteArrayContent([]);
                message.Content.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return message;
    }

    private static async Task<GuardedResponse> Read(HttpResponseMessage response, Uri url, int maxBytes, CancellationToken cancellationToken)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            // One byte past the cap tells a body of exactly the cap from a longer one.
            var buffer = new byte[Math.Min(maxBytes + 1, 81920)];
            using var kept = new MemoryStream();
            var truncated = false;
            int read;
            while ((read = await stream.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                var room = maxBytes - (int)kept.Length;
                if (read > room)
                {
                    kept.Write(buffer, 0, room);
                    truncated = true;
                    break;
                }

                kept.Write(buffer, 0, read);
            }

            var contentType = response.Content.Headers.ContentType;
            return new GuardedResponse((int)response.StatusCode, url, contentType?.MediaType?.ToLowerInvariant(), contentType?.CharSet,
                Headers(response), kept.ToArray(), truncated);
        }
    }

    private static Dictionary<string, string> Headers(HttpResponseMessage response)
    {
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, values) in response.Headers.Concat<KeyValuePair<string, IEnumerable<string>>>(response.Content.Headers))
        {
            headers[name.ToLowerInvariant()] = string.Join(", ", values);
        }

        return headers;
    }

    private static BuiltInToolException Failure(string tool, Uri url, Exception ex)
    {
        var where = SafeUrl.Describe(url);
        return Find<AddressRefusedException>(ex) is { } refused
            ? new BuiltInToolException($"{tool}: {where} refused: the host resolves only to addresses the network rules refuse ({string.Join(", ", refused.Refusals)})", refused)
            : ex is OperationCanceledException
                ? new BuiltInToolException($"{tool}: {where} did not answer in time", ex)
                : new BuiltInToolException($"{tool}: {where} could not be reached ({Reason(ex)})", ex);
    }

    private static string Reason(Exception ex) =>
        Find<SocketException>(ex) is { } socket ? socket.SocketErrorCode.ToString() : ex is HttpRequestException { HttpRequestError: var error } ? error.ToString() : ex.GetType().Name;

    private static T? Find<T>(Exception? ex)
        where T : Exception
    {
        for (; ex is not null; ex = ex.InnerException)
        {
            if (ex is T found)
            {
                return found;
            }
        }

        return null;
    }

    private HttpClient CreateClient()
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = Rules.ConnectAsync,
            UseProxy = false,
            UseCookies = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.All,
            ConnectTimeout = _options.RequestTimeout,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
        };
        var client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        client.DefaultRequestHeaders.UserAgent.Clear();
        client.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", _options.UserAgent);
        return client;
    }
}
