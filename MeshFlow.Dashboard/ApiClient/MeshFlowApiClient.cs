using System.Net;
using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Polly;

namespace MeshFlow.Dashboard.ApiClient;

/// <summary>
/// A client of the API's public HTTP surface, like any other. Every call but the health probe carries the signed-in
/// key from <see cref="IApiKeySource"/> in the <c>X-API-Key</c> header (never in a URL). A failed call throws
/// <see cref="MeshFlowApiException"/> with a message fit to show; an unreachable API is also reported to
/// <see cref="IApiAvailability"/>, which the banner follows.
/// </summary>
public sealed partial class MeshFlowApiClient(HttpClient httpClient, IApiKeySource keys, IApiAvailability availability)
{
    /// <summary>The header the key travels in.</summary>
    public const string ApiKeyHeader = "X-API-Key";

    // The call that checks a key at sign-in: GET /me answers the key's {tenant, role}, never the key itself.
    private const string KeyCheckPath = "/me";

    // The API's JSON is snake_case (uptime_s, run_id).
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
    };

    /// <summary>
    /// Reads <c>GET /health</c>. Never throws for a failing or unreachable API: the failure is the result.
    /// Cancellation by <paramref name="cancellationToken"/> still throws.
    /// </summary>
    public async Task<ApiHealthResult> GetHealthAsync(CancellationToken cancellationToken)
    {
        try
        {
            using var response = await httpClient.GetAsync(new Uri("/health", UriKind.Relative), cancellationToken)
                .ConfigureAwait(false);

            // An unhealthy API answers 503 with the same body; that is a status to show, not an error.
            if (response.StatusCode is not (HttpStatusCode.OK or HttpStatusCode.ServiceUnavailable))
            {
                return ApiHealthResult.Unreachable(
                    $"The API answered {(int)response.StatusCode} {response.ReasonPhrase}.");
            }

            var health = await response.Content.ReadFromJsonAsync<ApiHealth>(JsonOptions, cancellationToken)
                .ConfigureAwait(false);
            return health is null
                ? ApiHealthResult.Unreachable("The API answered with an empty health body.")
                : ApiHealthResult.Reachable(health);
        }
        catch (HttpRequestException exception)
        {
            return ApiHealthResult.Unreachable($"The API could not be reached: {exception.Message}");
        }
        catch (ExecutionRejectedException exception)
        {
            // The resilience pipeline gave up: timeout or open circuit breaker.
            return ApiHealthResult.Unreachable($"The API could not be reached: {exception.Message}");
        }
        catch (JsonException)
        {
            return ApiHealthResult.Unreachable("The API answered with a health body that is not valid JSON.");
        }
    }

    /// <summary>
    /// Asks the API whether <paramref name="apiKey"/> may sign in. A refused key is a result with the reason, not an
    /// exception; an unreachable API throws <see cref="MeshFlowApiException"/>.
    /// </summary>
    public async Task<KeyCheck> CheckKeyAsync(string apiKey, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(apiKey);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(KeyCheckPath, UriKind.Relative));
        request.Headers.Add(ApiKeyHeader, apiKey.Trim());
        using var response = await SendRawAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            return new KeyCheck(null, await ApiProblemReader.ReadMessageAsync(response, cancellationToken).ConfigureAwait(false));
        }

        var body = await ReadAsync<JsonElement>(response, cancellationToken).ConfigureAwait(false);
        return new KeyCheck(new SignedInIdentity(StringOf(body, "tenant"), StringOf(body, "role")), null);
    }

    /// <summary><c>GET /runs</c>: a page of the tenant's runs, newest first.</summary>
    public Task<RunList> ListRunsAsync(RunListQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(query);
        return GetAsync<RunList>(query.ToRelativeUri(), cancellationToken);
    }

    /// <summary><c>GET /runs/{id}</c>.</summary>
    public Task<RunView> GetRunAsync(string runId, CancellationToken cancellationToken) =>
        GetAsync<RunView>($"/runs/{Segment(runId)}", cancellationToken);

    /// <summary><c>POST /runs</c>: starts a run and answers its id.</summary>
    public Task<RunAccepted> StartRunAsync(StartRunRequest run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(run);
        return PostAsync<RunAccepted>("/runs", JsonContent.Create(run), cancellationToken);
    }

    /// <summary><c>GET /traces/{id}</c>: every record of the run's chain with full contents, as the API's JSON.</summary>
    public Task<JsonElement> GetTraceAsync(string runId, CancellationToken cancellationToken) =>
        GetAsync<JsonElement>($"/traces/{Segment(runId)}", cancellationToken);

    /// <summary><c>GET /traces/{id}/verify</c>.</summary>
    public Task<RunVerification> VerifyRunAsync(string runId, CancellationToken cancellationToken) =>
        GetAsync<RunVerification>($"/traces/{Segment(runId)}/verify", cancellationToken);

    /// <summary><c>GET /traces/{id}</c>, read into the dashboard's records.</summary>
    public Task<RunTrace> GetRunTraceAsync(string runId, CancellationToken cancellationToken) =>
        GetAsync<RunTrace>($"/traces/{Segment(runId)}", cancellationToken);

    /// <summary><c>GET /traces/{id}/steps/{step_id}/replay</c>: one step's full input, output and tool calls.</summary>
    public Task<StepReplay> GetStepReplayAsync(string runId, string stepId, CancellationToken cancellationToken) =>
        GetAsync<StepReplay>($"/traces/{Segment(runId)}/steps/{Segment(stepId)}/replay", cancellationToken);

    /// <summary><c>POST /runs/{id}/cancel</c>: asks a run in flight to stop; an ended run is a 409 with the reason.</summary>
    public async Task CancelRunAsync(string runId, CancellationToken cancellationToken)
    {
        using var request = await NewRequestAsync(HttpMethod.Post, $"/runs/{Segment(runId)}/cancel").ConfigureAwait(false);
        using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>GET /traces/{id}/export</c> as a response whose body is still to be read, so a caller can pass a large bundle on
    /// without holding it; the caller disposes the response.
    /// </summary>
    public async Task<HttpResponseMessage> OpenExportAsync(string runId, CancellationToken cancellationToken)
    {
        using var request = await NewRequestAsync(HttpMethod.Get, $"/traces/{Segment(runId)}/export").ConfigureAwait(false);
        return await SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>GET /runs/{id}/events</c>: the run's events as they happen, after <paramref name="lastEventId"/> when given,
    /// until the run ends or <paramref name="cancellationToken"/> stops the reading.
    /// </summary>
    public async IAsyncEnumerable<RunEvent> ReadRunEventsAsync(
        string runId, long? lastEventId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var request = await NewRequestAsync(HttpMethod.Get, $"/runs/{Segment(runId)}/events").ConfigureAwait(false);
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (lastEventId is { } last)
        {
            request.Headers.Add("Last-Event-ID", last.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        using var response = await SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var parser = SseParser.Create(stream, static (_, data) => ParseEventData(data));
            await foreach (var item in parser.EnumerateAsync(cancellationToken).ConfigureAwait(false))
            {
                long? id = long.TryParse(item.EventId, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seq)
                    ? seq
                    : null;
                yield return new RunEvent(id, item.EventType, item.Data);
            }
        }
    }

    // One malformed data line must not end the stream: it comes back undefined and the reader skips it.
    private static JsonElement ParseEventData(ReadOnlySpan<byte> data)
    {
        try
        {
            using var document = JsonDocument.Parse(data.ToArray());
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return default;
        }
    }

    /// <summary><c>GET /hitl/pending</c>: the tenant's pauses waiting for a reviewer.</summary>
    public Task<PendingApprovals> GetPendingApprovalsAsync(CancellationToken cancellationToken) =>
        GetAsync<PendingApprovals>("/hitl/pending", cancellationToken);

    /// <summary><c>GET /workflows</c>.</summary>
    public Task<WorkflowList> ListWorkflowsAsync(CancellationToken cancellationToken) =>
        GetAsync<WorkflowList>("/workflows", cancellationToken);

    /// <summary><c>POST /workflows/validate</c>: an invalid workflow answers its problems, each at its line and column.</summary>
    public async Task<WorkflowValidation> ValidateWorkflowAsync(string yaml, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(yaml);
        using var request = await NewRequestAsync(HttpMethod.Post, "/workflows/validate").ConfigureAwait(false);
        request.Content = JsonContent.Create(new { yaml });
        using var response = await SendRawAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.BadRequest)
        {
            var problem = await ReadAsync<JsonElement>(response, cancellationToken).ConfigureAwait(false);
            var problems = problem.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array
                ? errors.Deserialize<List<WorkflowProblem>>(JsonOptions) ?? []
                : [new WorkflowProblem("invalid", ApiProblemReader.DetailOf(problem.GetRawText()) ?? "The workflow is invalid.", null, null, null)];
            return new WorkflowValidation(false, null, [], problems);
        }

        await ThrowIfFailedAsync(response, cancellationToken).ConfigureAwait(false);
        var outline = await ReadAsync<JsonElement>(response, cancellationToken).ConfigureAwait(false);
        var nodes = outline.TryGetProperty("nodes", out var list) ? list.Deserialize<List<string>>(JsonOptions) ?? [] : [];
        return new WorkflowValidation(true, StringOf(outline, "name"), nodes, []);
    }

    /// <summary><c>GET /metrics</c>: the Prometheus text exposition, as the API wrote it.</summary>
    public async Task<string> GetMetricsTextAsync(CancellationToken cancellationToken)
    {
        using var request = await NewRequestAsync(HttpMethod.Get, "/metrics").ConfigureAwait(false);
        using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        return await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<T> GetAsync<T>(string relativeUri, CancellationToken cancellationToken)
    {
        using var request = await NewRequestAsync(HttpMethod.Get, relativeUri).ConfigureAwait(false);
        using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        return await ReadAsync<T>(response, cancellationToken).ConfigureAwait(false);
    }

    private async Task<T> PostAsync<T>(string relativeUri, HttpContent content, CancellationToken cancellationToken)
    {
        using var request = await NewRequestAsync(HttpMethod.Post, relativeUri).ConfigureAwait(false);
        request.Content = content;
        using var response = await SendAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        return await ReadAsync<T>(response, cancellationToken).ConfigureAwait(false);
    }

    private async Task<HttpRequestMessage> NewRequestAsync(HttpMethod method, string relativeUri)
    {
        var key = await keys.GetApiKeyAsync().ConfigureAwait(false)
            ?? throw new MeshFlowApiException("Nobody is signed in: sign in with an API key first.", HttpStatusCode.Unauthorized);
        var request = new HttpRequestMessage(method, new Uri(relativeUri, UriKind.Relative));
        request.Headers.Add(ApiKeyHeader, key);
        return request;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        var response = await SendRawAsync(request, completion, cancellationToken).ConfigureAwait(false);
        try
        {
            await ThrowIfFailedAsync(response, cancellationToken).ConfigureAwait(false);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    // Sends, and turns "no answer" into an unreachable error (and tells the banner); any answer means the API is up.
    private async Task<HttpResponseMessage> SendRawAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        try
        {
            var response = await httpClient.SendAsync(request, completion, cancellationToken).ConfigureAwait(false);
            availability.ReportReachable();
            return response;
        }
        catch (Exception exception) when (exception is HttpRequestException or ExecutionRejectedException
            || (exception is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            const string message = "The MeshFlow API cannot be reached.";
            availability.ReportUnreachable(message);
            throw new MeshFlowApiException(message, null, exception);
        }
    }

    private static async Task ThrowIfFailedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (!response.IsSuccessStatusCode)
        {
            var message = await ApiProblemReader.ReadMessageAsync(response, cancellationToken).ConfigureAwait(false);
            throw new MeshFlowApiException(message, response.StatusCode);
        }
    }

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<T>(JsonOptions, cancellationToken).ConfigureAwait(false)
                ?? throw new MeshFlowApiException("The API answered with an empty body.", response.StatusCode);
        }
        catch (JsonException exception)
        {
            throw new MeshFlowApiException("The API answered with a body this dashboard cannot read.", response.StatusCode, exception);
        }
    }

    private static string? StringOf(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static string Segment(string value)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(value);
        return Uri.EscapeDataString(value);
    }
}
