using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using System.Text.Json;

namespace MeshFlow.Cli.Client;

/// <summary>
/// The CLI's one client of a MeshFlow server: sends the API key, and turns every way a request can fail (no server,
/// a refused key, a missing run, a ProblemDetails) into one line the user can act on.
/// </summary>
internal sealed class MeshFlowClient : IDisposable
{
    /// <summary>How long a request (not a stream) may take.</summary>
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(100);

    private readonly HttpClient _http;
    private readonly bool _hasKey;

    public MeshFlowClient(string url, string? apiKey)
    {
        ArgumentNullException.ThrowIfNull(url);
        if (!Uri.TryCreate(url.EndsWith('/') ? url : url + "/", UriKind.Absolute, out var baseAddress) || baseAddress.Scheme is not ("http" or "https"))
        {
            throw new CliException($"--url '{url}' is not an http:// or https:// address such as http://localhost:5180", CliExitCodes.Usage);
        }

        BaseAddress = baseAddress;
        // Streams last as long as their run; requests get their own deadline (RequestTimeout).
        _http = new HttpClient { BaseAddress = baseAddress, Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("meshflow-cli", typeof(MeshFlowClient).Assembly.GetName().Version?.ToString(3)));
        if (apiKey is { Length: > 0 })
        {
            if (!apiKey.All(c => c is > ' ' and <= '~'))
            {
                throw new CliException("the API key has characters other than visible ASCII: check --api-key or MESHFLOW_API_KEY", CliExitCodes.Usage);
            }

            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
            _hasKey = true;
        }
    }

    /// <summary>The server's address.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The server's address as the user would type it.</summary>
    public string Url => BaseAddress.ToString().TrimEnd('/');

    /// <summary>GETs a JSON answer.</summary>
    /// <param name="path">The route, relative to the server (no leading slash needed).</param>
    /// <param name="runId">The run the route is about, so a 404 says which run is missing.</param>
    /// <param name="cancellationToken">Stops waiting.</param>
    public Task<JsonDocument> GetAsync(string path, string? runId, CancellationToken cancellationToken) =>
        SendAsync(HttpMethod.Get, path, null, runId, cancellationToken);

    /// <summary>GETs a JSON answer; null when the server answers 404 (a run erased since it was listed).</summary>
    public async Task<JsonDocument?> GetOrNullAsync(string path, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(RequestTimeout);
        using var request = Request(HttpMethod.Get, path, null);
        using var response = await SendCoreAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken, deadline.Token);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        await EnsureSuccessAsync(response, runId: null, deadline.Token);
        return await Json(response, path, deadline.Token);
    }

    /// <summary>GETs an answer as the server wrote it, byte for byte (an evidence bundle).</summary>
    public async Task<byte[]> GetBytesAsync(string path, string? runId, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(RequestTimeout);
        using var request = Request(HttpMethod.Get, path, null);
        using var response = await SendCoreAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken, deadline.Token);
        await EnsureSuccessAsync(response, runId, deadline.Token);
        return await response.Content.ReadAsByteArrayAsync(deadline.Token);
    }

    /// <summary>Sends a JSON body (or none) and reads the JSON answer.</summary>
    public async Task<JsonDocument> SendAsync(HttpMethod method, string path, string? jsonBody, string? runId, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(RequestTimeout);
        using var request = Request(method, path, jsonBody);
        using var response = await SendCoreAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken, deadline.Token);
        await EnsureSuccessAsync(response, runId, deadline.Token);
        return await Json(response, path, deadline.Token);
    }

    /// <summary>Sends a request whose answer is a stream (SSE) and returns the response once its headers arrived.</summary>
    public async Task<HttpResponseMessage> OpenStreamAsync(HttpMethod method, string path, string? jsonBody, string? runId, CancellationToken cancellationToken,
        long? lastEventId = null)
    {
        using var request = Request(method, path, jsonBody);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        if (lastEventId is { } after)
        {
            request.Headers.Add("Last-Event-ID", after.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        var response = await SendCoreAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken, cancellationToken);
        try
        {
            await EnsureSuccessAsync(response, runId, cancellationToken);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>The one line that says why the server could not be reached.</summary>
    public CliException Unreachable(Exception ex)
    {
        var reason = Reason(ex);
        return new CliException(
            $"cannot reach the MeshFlow server at {Url}{(reason is null ? "" : $" ({reason})")}: start one with 'meshflow serve' or pass --url",
            CliExitCodes.Unavailable, ex);
    }

    public void Dispose() => _http.Dispose();

    private async Task<JsonDocument> Json(HttpResponseMessage response, string path, CancellationToken cancellationToken)
    {
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            return JsonDocument.Parse(text.Length == 0 ? "null" : text);
        }
        catch (JsonException ex)
        {
            throw new CliException($"the server at {Url} answered {path} with something other than JSON: is --url a MeshFlow server?", CliExitCodes.Unavailable, ex);
        }
    }

    private static HttpRequestMessage Request(HttpMethod method, string path, string? jsonBody)
    {
        var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (jsonBody is not null)
        {
            request.Content = new StringContent(jsonBody, Encoding.UTF8, "application/json");
        }

        return request;
    }

    private async Task<HttpResponseMessage> SendCoreAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken user,
        CancellationToken deadline)
    {
        try
        {
            return await _http.SendAsync(request, completion, deadline);
        }
        catch (HttpRequestException ex)
        {
            throw Unreachable(ex);
        }
        catch (OperationCanceledException ex) when (!user.IsCancellationRequested)
        {
            throw new CliException($"the MeshFlow server at {Url} did not answer within {RequestTimeout.TotalSeconds:0} s", CliExitCodes.Unavailable, ex);
        }
    }

    private async Task EnsureSuccessAsync(HttpResponseMessage response, string? runId, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var problem = ServerProblem.Read(response.StatusCode, body);
        throw response.StatusCode switch
        {
            HttpStatusCode.Unauthorized => new CliException(_hasKey
                    ? "the server refused the API key: pass --api-key or set MESHFLOW_API_KEY"
                    : "the server needs an API key: pass --api-key or set MESHFLOW_API_KEY ('meshflow serve' prints one at its first start)",
                CliExitCodes.Unavailable),
            HttpStatusCode.Forbidden => new CliException(
                $"the API key's role may not do this{(problem.Detail is { Length: > 0 } detail ? $" ({detail})" : "")}: use a key with the role it needs (reviewer or admin)"),
            HttpStatusCode.NotFound when runId is not null && problem.Title is null or "Run not found" =>
                new CliException($"no run '{runId}' (or not visible to this key)"),
            HttpStatusCode.TooManyRequests => new ServerProblemException(problem with
            {
                Detail = problem.Detail + (response.Headers.RetryAfter?.Delta is { } wait ? $" (retry after {wait.TotalSeconds:0} s)" : ""),
            }, CliExitCodes.Unavailable),
            _ when (int)response.StatusCode >= 500 => new ServerProblemException(problem, CliExitCodes.Unavailable),
            _ => new ServerProblemException(problem, CliExitCodes.Failure),
        };
    }

    private static string? Reason(Exception ex)
    {
        for (var inner = ex; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                case SocketException socket:
                    return socket.SocketErrorCode switch
                    {
                        SocketError.ConnectionRefused => "connection refused",
                        SocketError.HostNotFound or SocketError.NoData => "no such host",
                        SocketError.TimedOut => "timed out",
                        var code => code.ToString(),
                    };
                case AuthenticationException authentication:
                    return $"TLS: {authentication.Message.TrimEnd('.')}";
            }
        }

        return ex.Message.TrimEnd('.');
    }
}
