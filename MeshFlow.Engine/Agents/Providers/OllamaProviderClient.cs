using System.Net.Http.Headers;
using OllamaSharp;
using OllamaSharp.Models;

namespace MeshFlow.Agents.Providers;

/// <summary>
/// OllamaSharp's client with its requests sent on the shared HTTP client (pooled, and the handlers a host adds), a
/// network timeout on the answer and on a silent stream, the error Ollama wrote instead of an answer kept, and an
/// optional bearer key for an Ollama behind an authenticating proxy.
/// </summary>
internal sealed class OllamaProviderClient : OllamaApiClient
{
    // OllamaApiClient needs an HttpClient with a base address; every request goes through SendToOllamaAsync below,
    // which sends it on the shared client, so this one never sends anything.
    private static readonly HttpMessageHandler Unused = new UnusedHandler();

    private readonly HttpClient _http;
    private readonly Uri _endpoint;
    private readonly AuthenticationHeaderValue? _authorization;
    private readonly TimeSpan _networkTimeout;

    public OllamaProviderClient(HttpClient http, Uri endpoint, string model, string? key, TimeSpan networkTimeout)
        : base(new HttpClient(Unused, disposeHandler: false) { BaseAddress = endpoint }, model)
    {
        _http = http;
        _endpoint = endpoint;
        _authorization = key is null ? null : new AuthenticationHeaderValue("Bearer", key);
        _networkTimeout = networkTimeout;
    }

    protected override async Task<HttpResponseMessage> SendToOllamaAsync(HttpRequestMessage requestMessage, OllamaRequest? ollamaRequest,
        HttpCompletionOption completionOption, CancellationToken cancellationToken)
    {
        requestMessage.RequestUri = requestMessage.RequestUri is { IsAbsoluteUri: true } absolute ? absolute : new Uri(_endpoint, requestMessage.RequestUri!);
        requestMessage.Headers.Authorization = _authorization;

        HttpResponseMessage response;
        using (var answer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            // A model that is still loading answers late; one that never answers fails the call after the timeout.
            answer.CancelAfter(_networkTimeout);
            try
            {
                response = await _http.SendAsync(requestMessage, HttpCompletionOption.ResponseHeadersRead, answer.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"the Ollama server at {_endpoint.Authority} sent no answer in {_networkTimeout.TotalSeconds:0.#} s");
            }
        }

        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                throw await OllamaRequestException.ReadAsync(response, cancellationToken).ConfigureAwait(false);
            }
        }

        var body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        var content = new StreamContent(new OllamaResponseStream(body, _networkTimeout, _endpoint.Authority, cancellationToken));
        foreach (var header in response.Content.Headers)
        {
            content.Headers.TryAddWithoutValidation(header.Key, header.Value);
        }

        response.Content = content;
        if (completionOption == HttpCompletionOption.ResponseContentRead)
        {
            await content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
        }

        return response;
    }

    private sealed class UnusedHandler : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("Ollama requests are sent on the shared HTTP client");
    }
}
