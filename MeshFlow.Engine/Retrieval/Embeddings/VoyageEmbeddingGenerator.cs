using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MeshFlow.Agents;
using MeshFlow.Agents.Providers;
using Microsoft.Extensions.AI;

namespace MeshFlow.Retrieval.Embeddings;

/// <summary>
/// Voyage AI's embeddings API (<c>POST {endpoint}/v1/embeddings</c>, bearer key), for which no .NET SDK exists: one
/// request per call, with <c>input_type</c> when the caller says whether it embeds documents or a query
/// (<see cref="EmbeddingInputType"/>). Voyage's refusals become <see cref="LlmProviderException"/>s carrying its
/// <c>detail</c>; batching, retries and key masking are <see cref="RemoteEmbeddingGenerator"/>'s.
/// </summary>
internal sealed class VoyageEmbeddingGenerator(HttpClient http, LlmConnection connection, string model, TimeSpan networkTimeout)
    : IEmbeddingGenerator<string, Embedding<float>>
{
    // Enough of an error body for Voyage's {"detail": "..."}; a proxy's HTML page is cut there.
    private const int MaxErrorText = 1024;

    private readonly Uri _embeddings = new(connection.Endpoint ?? LlmProviders.VoyageEndpoint, "v1/embeddings");
    private readonly EmbeddingGeneratorMetadata _metadata = new(LlmProviders.Voyage, connection.Endpoint ?? LlmProviders.VoyageEndpoint, model);

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(IEnumerable<string> values, EmbeddingGenerationOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var body = new JsonObject { ["input"] = new JsonArray([.. values.Select(v => JsonValue.Create(v))]), ["model"] = model };
        if (EmbeddingInputType.Of(options) is { } inputType)
        {
            body["input_type"] = inputType;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, _embeddings)
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", connection.Key);

        using var answer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        answer.CancelAfter(networkTimeout);
        try
        {
            using var response = await http.SendAsync(request, answer.Token).ConfigureAwait(false);
            var text = await response.Content.ReadAsStringAsync(answer.Token).ConfigureAwait(false);
            return response.IsSuccessStatusCode ? Parse(text) : throw Refused(response, text);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"Voyage AI sent no answer in {networkTimeout.TotalSeconds:0.#} s");
        }
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null
        : serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata
        : serviceType.IsInstanceOfType(this) ? this : null;

    public void Dispose()
    {
    }

    private LlmProviderException Refused(HttpResponseMessage response, string text)
    {
        var status = response.StatusCode;
        var detail = Detail(text) ?? (text.Length > MaxErrorText ? text[..MaxErrorText] + "..." : text);
        return new LlmProviderException(connection.ConfigurationName, model, status,
            $"Voyage AI behind '{connection.ConfigurationName}' refused model '{model}': HTTP {(int)status} ({status})" +
            (detail.Length > 0 ? $": {detail}" : ""),
            LlmProviderException.IsTransientStatus(status), Http.RetryAfter.Of(response.Headers.RetryAfter));
    }

    private static string? Detail(string text)
    {
        try
        {
            return JsonNode.Parse(text) is JsonObject { } error && error["detail"] is JsonValue detail && detail.TryGetValue<string>(out var message)
                ? message
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private GeneratedEmbeddings<Embedding<float>> Parse(string text)
    {
        try
        {
            var root = JsonNode.Parse(text)?.AsObject() ?? throw new JsonException("the body is null");
            var data = root["data"]?.AsArray() ?? throw new JsonException("it has no data");
            var vectors = new float[data.Count][];
            foreach (var item in data)
            {
                var index = item?["index"]?.GetValue<int>() ?? throw new JsonException("an item has no index");
                if (index < 0 || index >= vectors.Length || vectors[index] is not null)
                {
                    throw new JsonException($"an item's index {index} is out of place");
                }

                vectors[index] = item["embedding"]?.AsArray().Select(v => v!.GetValue<float>()).ToArray()
                    ?? throw new JsonException($"item {index} has no embedding");
            }

            var created = DateTimeOffset.UtcNow;
            var modelId = root["model"]?.GetValue<string>() ?? model;
            var result = new GeneratedEmbeddings<Embedding<float>>(vectors.Select(v => new Embedding<float>(v) { ModelId = modelId, CreatedAt = created }));
            if (root["usage"]?["total_tokens"]?.GetValue<long>() is { } tokens)
            {
                result.Usage = new UsageDetails { InputTokenCount = tokens, TotalTokenCount = tokens };
            }

            return result;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            throw new LlmProviderException(connection.ConfigurationName, model, HttpStatusCode.OK,
                $"Voyage AI behind '{connection.ConfigurationName}' sent an answer that is not its embeddings JSON for model '{model}': {ex.Message}",
                transient: false, inner: ex);
        }
    }
}
