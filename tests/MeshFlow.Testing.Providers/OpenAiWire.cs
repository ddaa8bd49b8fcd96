using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace MeshFlow.Testing.Providers;

/// <summary>OpenAI's embeddings answer and error body, which Azure OpenAI shares.</summary>
internal static class OpenAiWire
{
    /// <summary>The texts of an embeddings request's <c>input</c>: one string, or an array of them.</summary>
    public static IReadOnlyList<string> Inputs(JsonObject body) => body["input"] switch
    {
        JsonArray array => [.. array.Select(item => item!.GetValue<string>())],
        JsonValue value => [value.GetValue<string>()],
        _ => [],
    };

    public static async Task EmbeddingsAsync(HttpContext context, JsonObject body, string model, int dimensions)
    {
        var inputs = Inputs(body);
        var size = body["dimensions"]?.GetValue<int>() ?? dimensions;
        var base64 = body["encoding_format"]?.GetValue<string>() == "base64";
        var data = new JsonArray();
        for (var i = 0; i < inputs.Count; i++)
        {
            var vector = FakeEmbeddings.Vector(inputs[i], size);
            data.Add(new JsonObject
            {
                ["object"] = "embedding",
                ["index"] = i,
                ["embedding"] = base64 ? FakeEmbeddings.Base64(vector) : new JsonArray([.. vector.Select(v => JsonValue.Create(v))]),
            });
        }

        var tokens = inputs.Sum(input => input.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length);
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(new JsonObject
        {
            ["object"] = "list", ["data"] = data, ["model"] = model,
            ["usage"] = new JsonObject { ["prompt_tokens"] = tokens, ["total_tokens"] = tokens },
        }.ToJsonString(), context.RequestAborted).ConfigureAwait(false);
    }

    public static async Task ErrorAsync(HttpContext context, int status, string type, string? code, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(JsonSerializer.Serialize(new { error = new { message, type, param = (string?)null, code } }),
            context.RequestAborted).ConfigureAwait(false);
    }
}
