using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using System.Text.Json;
using MeshFlow.Cli.Client;
using MeshFlow.Events;

namespace MeshFlow.Cli.Runs;

/// <summary>A run started on a server with <c>POST /stream</c>, its events read from the same response (SSE).</summary>
internal sealed class ServerRunStream : IRunStream
{
    private readonly MeshFlowClient _client;
    private HttpResponseMessage? _response;
    private long _lastSeq;

    private ServerRunStream(MeshFlowClient client, HttpResponseMessage response, string runId)
    {
        _client = client;
        _response = response;
        RunId = runId;
    }

    public string RunId { get; }

    public string ApprovalHint =>
        $"decide with 'meshflow admin approvals approve {RunId} --url {_client.Url}' (or 'reject'), with a reviewer or admin key";

    /// <summary>Starts the run: <paramref name="body"/> is <c>POST /stream</c>'s JSON body.</summary>
    public static async Task<ServerRunStream> StartAsync(MeshFlowClient client, string body, CancellationToken cancellationToken)
    {
        var response = await client.OpenStreamAsync(HttpMethod.Post, "stream", body, runId: null, cancellationToken);
        var runId = response.Headers.TryGetValues("MeshFlow-Run-Id", out var values) ? values.FirstOrDefault() : null;
        if (runId is null)
        {
            response.Dispose();
            throw new CliException($"the server at {client.Url} started a stream without naming its run (no MeshFlow-Run-Id header): is --url a MeshFlow server?",
                CliExitCodes.Unavailable);
        }

        return new ServerRunStream(client, response, runId);
    }

    public async IAsyncEnumerable<MeshEvent> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // The first read is the response of POST /stream; after a pause, the run is followed from its last event.
        var response = _response ?? await _client.OpenStreamAsync(HttpMethod.Get, $"runs/{Uri.EscapeDataString(RunId)}/events", null, RunId,
            cancellationToken, lastEventId: _lastSeq);
        _response = null;
        using (response)
        {
            Stream body;
            try
            {
                body = await response.Content.ReadAsStreamAsync(cancellationToken);
            }
            catch (HttpRequestException ex)
            {
                throw _client.Unreachable(ex);
            }

            await using var _ = body;
            await using var items = SseParser.Create(body).EnumerateAsync(cancellationToken).GetAsyncEnumerator(cancellationToken);
            while (true)
            {
                bool more;
                try
                {
                    more = await items.MoveNextAsync();
                }
                catch (Exception ex) when (ex is HttpRequestException or IOException)
                {
                    throw new CliException($"the connection to {_client.Url} broke while run '{RunId}' was streaming ({ex.Message.TrimEnd('.')}): " +
                        $"the run goes on there; follow it with 'meshflow trace {RunId}'", CliExitCodes.Unavailable, ex);
                }

                if (!more)
                {
                    throw new CliException($"the server at {_client.Url} closed the stream of run '{RunId}' before the run ended: " +
                        $"see where it is with 'meshflow trace {RunId}'", CliExitCodes.Unavailable);
                }

                if (MeshEvents.Parse(items.Current.Data) is not { } evt)
                {
                    continue;
                }

                _lastSeq = Math.Max(_lastSeq, evt.Seq);
                yield return evt;
                if (evt is RunEndEvent)
                {
                    yield break;
                }
            }
        }
    }

    public async Task RequestCancelAsync(CancellationToken cancellationToken)
    {
        using var _ = await _client.SendAsync(HttpMethod.Post, $"runs/{Uri.EscapeDataString(RunId)}/cancel", "{}", RunId, cancellationToken);
    }

    public ValueTask DisposeAsync()
    {
        _response?.Dispose();
        return ValueTask.CompletedTask;
    }

    /// <summary>The body of <c>POST /stream</c>.</summary>
    public static string Body(string yaml, string input, JsonElement? policy)
    {
        var body = new Dictionary<string, object?> { ["yaml"] = yaml, ["input"] = input };
        if (policy is { } value)
        {
            body["policy"] = value;
        }

        return JsonSerializer.Serialize(body);
    }
}
