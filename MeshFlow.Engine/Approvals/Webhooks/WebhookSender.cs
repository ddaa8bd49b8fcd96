using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

namespace MeshFlow.Approvals.Webhooks;

/// <summary>
/// Sends one signed attempt of an outbox message over HTTP: a POST of the stored JSON body, signed with every secret
/// of the message's tenant, to an address <see cref="WebhookAddressRules"/> allow, following no redirect.
/// </summary>
/// <remarks>
/// <para>Outcomes: 2xx <see cref="WebhookOutcomes.Delivered"/>; 3xx <see cref="WebhookOutcomes.Redirect"/>; 410
/// <see cref="WebhookOutcomes.Gone"/>; any other status <see cref="WebhookOutcomes.HttpError"/> (with the
/// receiver's <c>Retry-After</c> on a 429 or 503); no answer within <see cref="WebhookSenderOptions.AttemptTimeout"/>
/// <see cref="WebhookOutcomes.Timeout"/>; a destination that resolves only to refused addresses
/// <see cref="WebhookOutcomes.RefusedAddress"/>; any other connection failure <see cref="WebhookOutcomes.NetworkError"/>;
/// a tenant without a secret <see cref="WebhookOutcomes.NoSecret"/>, with nothing sent.</para>
/// <para>Each attempt is signed afresh with the time it is made (<c>webhook-timestamp</c>), so a retry hours later
/// still passes a receiver's replay window; <c>webhook-id</c> stays the message's id. An error text names the failure,
/// never the body, a secret or the URL's path and query (which may hold a token).</para>
/// <para>No proxy is used: through a proxy the connect callback would judge the proxy's address, not the receiver's.</para>
/// </remarks>
public sealed class WebhookSender : IWebhookSender, IDisposable
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");

    private readonly WebhookSecrets _secrets;
    private readonly WebhookSenderOptions _options;
    private readonly TimeProvider _time;
    private readonly HttpClient _client;

    /// <summary>Creates a sender with its own connection pool.</summary>
    public WebhookSender(WebhookSecrets secrets, WebhookAddressRules rules, WebhookSenderOptions? options = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(rules);
        _secrets = secrets ?? throw new ArgumentNullException(nameof(secrets));
        _options = options ?? new WebhookSenderOptions();
        _time = timeProvider ?? TimeProvider.System;
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = rules.ConnectAsync,
            AllowAutoRedirect = false,
            UseProxy = false,
            UseCookies = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionLifetime = _options.ConnectionLifetime,
        };

        // The attempt's own token enforces the timeout, through the injected clock.
        _client = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    /// <inheritdoc />
    public async Task<WebhookSendResult> SendAsync(WebhookMessage message, int attempt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var at = _time.GetUtcNow();
        var started = _time.GetTimestamp();
        WebhookSendResult Result(string outcome, int? status = null, string? error = null, TimeSpan? retryAfter = null) => new(new WebhookAttempt
        {
            MessageId = message.Id, TenantId = message.TenantId, RunId = message.RunId, Attempt = attempt, At = at,
            StatusCode = status, Outcome = outcome, Error = error, DurationMs = _time.GetElapsedTime(started).TotalMilliseconds,
        }, retryAfter);

        var secrets = _secrets.For(message.TenantId);
        if (secrets.Count == 0)
        {
            return Result(WebhookOutcomes.NoSecret, error: $"no webhook signing secret is configured for tenant '{message.TenantId}'");
        }

        if (!Uri.TryCreate(message.Url, UriKind.Absolute, out var url) || (url.Scheme != Uri.UriSchemeHttp && url.Scheme != Uri.UriSchemeHttps))
        {
            return Result(WebhookOutcomes.RefusedAddress, error: "the destination is not an absolute http or https URL");
        }

        var timestamp = at.ToUnixTimeSeconds();
        var signature = WebhookSigner.SignatureHeader(secrets, message.Id, timestamp, message.Body);
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(message.Body)) { Headers = { ContentType = Json } },
        };
        request.Headers.TryAddWithoutValidation(WebhookHeaders.Id, message.Id);
        request.Headers.TryAddWithoutValidation(WebhookHeaders.Timestamp, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation(WebhookHeaders.Signature, signature);
        request.Headers.TryAddWithoutValidation(WebhookHeaders.MeshFlowSignature, signature);
        request.Headers.TryAddWithoutValidation("User-Agent", WebhookHeaders.UserAgent);

        using var timeout = new CancellationTokenSource(_options.AttemptTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        try
        {
            // Only the status line and headers matter; the response body is never read.
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            return status switch
            {
                >= 200 and < 300 => Result(WebhookOutcomes.Delivered, status),
                >= 300 and < 400 => Result(WebhookOutcomes.Redirect, status, $"answered {Describe(response)}; redirects are not followed"),
                410 => Result(WebhookOutcomes.Gone, status, $"answered {Describe(response)}; the endpoint is disabled"),
                _ => Result(WebhookOutcomes.HttpError, status, $"answered {Describe(response)}",
                    status is 429 or 503 ? RetryAfter(response, _time.GetUtcNow()) : null),
            };
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            return Result(WebhookOutcomes.Timeout, error: $"no answer within {_options.AttemptTimeout.TotalSeconds:0.###} s");
        }
        catch (HttpRequestException ex) when (Find<WebhookAddressRefusedException>(ex) is { } refused)
        {
            return Result(WebhookOutcomes.RefusedAddress, error: refused.Message);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or SocketException)
        {
            return Result(WebhookOutcomes.NetworkError, error: NetworkError(ex, url));
        }
    }

    /// <summary>Closes the sender's connections.</summary>
    public void Dispose() => _client.Dispose();

    /// <summary>The receiver's <c>Retry-After</c> (seconds or an HTTP date) as a delay from <paramref name="now"/>, or null.</summary>
    internal static TimeSpan? RetryAfter(HttpResponseMessage response, DateTimeOffset now) =>
        Http.RetryAfter.Of(response.Headers.RetryAfter, now);

    private static string Describe(HttpResponseMessage response) =>
        string.IsNullOrEmpty(response.ReasonPhrase) ? $"{(int)response.StatusCode}" : $"{(int)response.StatusCode} {response.ReasonPhrase}";

    private static string NetworkError(Exception ex, Uri url)
    {
        // What kind of failure (name resolution, connection, protocol) and, underneath, the socket's own error code:
        // enough to tell "nothing listens" from "reset", without quoting anything the receiver sent.
        var kind = ex is HttpRequestException { HttpRequestError: not HttpRequestError.Unknown } http ? http.HttpRequestError.ToString() : ex.GetType().Name;
        var socket = Find<SocketException>(ex) is { } socketError ? $" ({socketError.SocketErrorCode})" : "";
        return $"the request to {url.IdnHost}:{url.Port} failed: {kind}{socket}";
    }

    private static T? Find<T>(Exception? ex) where T : Exception
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
}
