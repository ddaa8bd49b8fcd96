using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace MeshFlow.LoadTest.Client;

/// <summary>
/// The api as the load sees it: one <see cref="SocketsHttpHandler"/> with a connection per concurrent request (no
/// cap), no proxy, no resilience handler, no timeout (each call carries its own cancellation).
/// </summary>
internal sealed class LoadClient : IDisposable
{
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private static readonly MediaTypeWithQualityHeaderValue Ndjson = new("application/x-ndjson");
    private static readonly MediaTypeWithQualityHeaderValue EventStream = new("text/event-stream");

    /// <summary>How long a run's stream may take once answered before the load gives up on it (and reports it).</summary>
    public static readonly TimeSpan RunPatience = TimeSpan.FromSeconds(30);

    private readonly HttpClient _http;

    public LoadClient(Uri baseAddress, string apiKey)
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = int.MaxValue,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(30),
        };
        _http = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
    }

    public Uri BaseAddress => _http.BaseAddress!;

    /// <summary><c>POST /stream</c> as NDJSON, read to <c>run_end</c>, for at most <paramref name="timeout"/> once answered.</summary>
    public async Task<StreamedRun> StreamAsync(byte[] body, Action<EventLine, ReceiveStamp>? onEvent, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var sent = Stopwatch.GetTimestamp();
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/stream") { Content = Content(body) };
            request.Headers.Accept.Add(Ndjson);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var runId = response.Headers.TryGetValues("MeshFlow-Run-Id", out var ids) ? ids.FirstOrDefault() : null;
            return await FollowAsync(response, sent, runId, onEvent, timeout, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            return new StreamedRun(sent, Stopwatch.GetTimestamp(), 0, null, null, Failure(e));
        }
    }

    /// <summary><c>POST /runs</c>, then <c>GET /runs/{id}/events</c> as NDJSON read to <c>run_end</c>.</summary>
    public async Task<StreamedRun> StartAndFollowAsync(byte[] body, Action<EventLine, ReceiveStamp>? onEvent, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var sent = Stopwatch.GetTimestamp();
        string? runId = null;
        try
        {
            runId = await StartAsync(body, cancellationToken);
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/runs/{runId}/events");
            request.Headers.Accept.Add(Ndjson);
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            return await FollowAsync(response, sent, runId, onEvent, timeout, cancellationToken);
        }
        catch (Exception e) when (e is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            return new StreamedRun(sent, Stopwatch.GetTimestamp(), 0, runId, null, Failure(e));
        }
    }

    /// <summary><c>POST /runs</c>: the new run's id.</summary>
    public async Task<string> StartAsync(byte[] body, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsync(new Uri("/runs", UriKind.Relative), Content(body), cancellationToken);
        await EnsureAsync(response, "POST /runs", cancellationToken);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
        return json.RootElement.GetProperty("run_id").GetString()!;
    }

    /// <summary><c>GET /runs/{id}/events</c> (SSE, or NDJSON), once its headers arrived; the caller reads and disposes it.</summary>
    public async Task<HttpResponseMessage> OpenEventsAsync(string runId, bool ndjson, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/runs/{runId}/events");
        request.Headers.Accept.Add(ndjson ? Ndjson : EventStream);
        var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        try
        {
            await EnsureAsync(response, "GET /runs/{id}/events", cancellationToken);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary><c>GET /runs/{id}</c>: the run's status and step count, as the ledger has them.</summary>
    public async Task<string> DescribeRunAsync(string runId, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync(new Uri($"/runs/{runId}", UriKind.Relative), cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return $"GET /runs/{runId} answered {(int)response.StatusCode}";
        }

        using var json = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(cancellationToken));
        var run = json.RootElement;
        return $"{runId}: {run.GetProperty("status").GetString()}, {(run.TryGetProperty("steps", out var steps) ? steps.ToString() : "?")} steps";
    }

    /// <summary><c>POST /runs/{id}/cancel</c>: true when accepted, false when the run had already ended (409).</summary>
    public async Task<bool> CancelAsync(string runId, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsync(new Uri($"/runs/{runId}/cancel", UriKind.Relative), null, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Conflict)
        {
            return false;
        }

        await EnsureAsync(response, "POST /runs/{id}/cancel", cancellationToken);
        return true;
    }

    public void Dispose() => _http.Dispose();

    private static async Task<StreamedRun> FollowAsync(HttpResponseMessage response, long sent, string? runId, Action<EventLine, ReceiveStamp>? onEvent,
        TimeSpan timeout, CancellationToken cancellationToken)
    {
        var headers = Stopwatch.GetTimestamp();
        var status = (int)response.StatusCode;
        if (!response.IsSuccessStatusCode)
        {
            return new StreamedRun(sent, headers, status, runId, null);
        }

        using var patience = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        patience.CancelAfter(timeout);
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(patience.Token);
            var end = await EventStreamReader.ReadToRunEndAsync(stream, onEvent, patience.Token);
            return new StreamedRun(sent, headers, status, runId, end);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new StreamedRun(sent, headers, status, runId, null, TimedOut: true);
        }
        catch (Exception e) when (e is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
        {
            return new StreamedRun(sent, headers, status, runId, null, "stream cut: " + Failure(e));
        }
    }

    // The innermost message, which says what happened ("Connection reset by peer", "The response ended prematurely").
    private static string Failure(Exception e)
    {
        var inner = e;
        while (inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        return $"{inner.GetType().Name}: {inner.Message}";
    }

    private static ByteArrayContent Content(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = Json;
        return content;
    }

    private static async Task EnsureAsync(HttpResponseMessage response, string what, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            // The start of the body says enough (in Development the api answers a 500 with the whole stack trace).
            var detail = await response.Content.ReadAsStringAsync(cancellationToken);
            throw new HttpRequestException($"{what} answered {(int)response.StatusCode}: {detail[..Math.Min(detail.Length, 80)]}", null, response.StatusCode);
        }
    }
}
