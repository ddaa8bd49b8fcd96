using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using MeshFlow.Api.Tests.Support;

namespace MeshFlow.Api.Tests.Knowledge;

/// <summary>Requests the knowledge tests send: documents as JSON or as files, and searches.</summary>
internal static class KnowledgeClient
{
    /// <summary>A knowledge base name no other test uses.</summary>
    public static string NewName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..Math.Min(64, prefix.Length + 33)];

    public static Task<HttpResponseMessage> PostDocumentsAsync(this HttpClient client, string name, params (string Id, string Source, string Text)[] documents)
    {
        var body = JsonSerializer.Serialize(new { documents = documents.Select(d => new { id = d.Id, source = d.Source, text = d.Text }) });
        return client.PostWithTimeoutAsync($"/knowledge/{name}/documents", new StringContent(body, Encoding.UTF8, "application/json"));
    }

    public static Task<HttpResponseMessage> PostFilesAsync(this HttpClient client, string name, params (string FileName, string? ContentType, byte[] Content)[] files)
    {
        var form = new MultipartFormDataContent();
        foreach (var (fileName, contentType, content) in files)
        {
            var part = new ByteArrayContent(content);
            if (contentType is not null)
            {
                part.Headers.ContentType = new MediaTypeHeaderValue(contentType);
            }

            form.Add(part, "files", fileName);
        }

        return client.PostWithTimeoutAsync($"/knowledge/{name}/documents", form);
    }

    public static async Task<JsonElement> SearchAsync(this HttpClient client, string name, string query, int topK = 4, string? mode = null)
    {
        using var response = await client.GetWithTimeoutAsync(
            $"/knowledge/{name}/search?q={Uri.EscapeDataString(query)}&top_k={topK}" + (mode is null ? string.Empty : $"&mode={mode}"));
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        return (await response.ReadJsonAsync()).GetProperty("chunks");
    }

    /// <summary>The field a 400 (or 415, 422) names, and its detail.</summary>
    public static async Task<(string Path, string Detail)> ProblemAsync(this HttpResponseMessage response)
    {
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.ReadJsonAsync();
        return (problem.GetProperty("errors")[0].GetProperty("path").GetString()!, problem.GetProperty("detail").GetString()!);
    }
}
