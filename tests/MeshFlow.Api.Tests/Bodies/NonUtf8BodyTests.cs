using System.Net;
using System.Net.Http.Headers;
using System.Text;
using MeshFlow.Api.Tests.Support;

namespace MeshFlow.Api.Tests.Bodies;

/// <summary>Every route that reads a body answers bytes that are not UTF-8 with a 400 naming where they are, never a 500.</summary>
public sealed class NonUtf8BodyTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    // "café" in Latin-1: the é is the single byte 0xE9, which UTF-8 reads as the start of a three-byte sequence.
    private const string Before = "{\"workflow\": \"review\", \"input\": \"caf";

    public static TheoryData<string, string, string> Routes => new()
    {
        { "POST", "/runs", "application/json" },
        { "POST", "/stream", "application/json" },
        { "POST", "/workflows/validate", "application/json" },
        { "POST", "/hitl/run-that-is-not-there/approve", "application/json" },
        { "PUT", $"/admin/tenants/{ApiFactory.AcmeTenant}/policy", "application/json" },
        { "POST", "/admin/agents/did:key:z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK/revoke", "application/json" },
    };

    private static byte[] Latin1Json => [.. Encoding.ASCII.GetBytes(Before), 0xE9, .. "\"}"u8];

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task A_json_body_that_is_not_utf8_is_a_400_naming_the_byte_offset(string method, string path, string mediaType)
    {
        using var client = factory.CreateAuthenticatedClient(ApiFactory.AcmeAdminKey);

        using var response = await client.SendWithTimeoutAsync(Request(method, path, Latin1Json, mediaType));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.ReadJsonAsync();
        Assert.Equal("body", problem.GetProperty("errors")[0].GetProperty("path").GetString());
        Assert.Contains($"not valid UTF-8: the byte at offset {Before.Length} (0xE9)", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/runs", """{"workflow": "review", "input": "\ud800"}""", 32)]
    [InlineData("/runs", """{"workflow": "review", "input": {"note": "\udfff"}}""", 41)]
    [InlineData("/workflows/validate", """{"yaml": "name: \ud800"}""", 9)]
    [InlineData("/hitl/run-that-is-not-there/approve", """{"reviewer_id": "dr.lee\ud800"}""", 16)]
    public async Task A_json_string_escaping_a_lone_surrogate_is_a_400_naming_its_offset(string path, string json, int offset)
    {
        using var client = factory.CreateAuthenticatedClient(ApiFactory.AcmeAdminKey);

        using var response = await client.PostWithTimeoutAsync(path, new StringContent(json, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.ReadJsonAsync();
        Assert.Equal("body", problem.GetProperty("errors")[0].GetProperty("path").GetString());
        Assert.Contains($"the JSON string at byte offset {offset} escapes a lone UTF-16 surrogate", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_yaml_body_that_is_not_utf8_is_a_400_naming_the_byte_offset_rather_than_a_replacement_character()
    {
        using var client = factory.CreateAuthenticatedClient(ApiFactory.AcmeUserKey);
        byte[] yaml = [.. "name: caf"u8, 0xE9, .. "\nnodes:\n  - id: a\n"u8];

        using var response = await client.SendWithTimeoutAsync(Request("POST", "/workflows/validate", yaml, "application/yaml"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.ReadJsonAsync();
        Assert.Contains("not valid UTF-8: the byte at offset 9 (0xE9)", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_cut_inside_a_multibyte_character_names_the_offset_where_the_character_starts()
    {
        using var client = factory.CreateAuthenticatedClient(ApiFactory.AcmeUserKey);
        var euro = "€"u8.ToArray();
        byte[] yaml = [.. "name: "u8, euro[0], euro[1]];

        using var response = await client.SendWithTimeoutAsync(Request("POST", "/workflows/validate", yaml, "text/plain"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("offset 6 (0xE2)", (await response.ReadJsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_text_encoded_as_utf8_is_read()
    {
        using var client = factory.CreateAuthenticatedClient(ApiFactory.AcmeUserKey);
        var yaml = Encoding.UTF8.GetBytes("name: café\nnodes:\n  - id: a\n    model: offline\n");

        using var response = await client.SendWithTimeoutAsync(Request("POST", "/workflows/validate", yaml, "application/yaml"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("café", (await response.ReadJsonAsync()).GetProperty("name").GetString());
    }

    private static HttpRequestMessage Request(string method, string path, byte[] body, string mediaType)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue(mediaType);
        return new HttpRequestMessage(new HttpMethod(method), path) { Content = content };
    }
}
