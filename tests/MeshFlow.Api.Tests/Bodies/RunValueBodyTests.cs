using System.Net;
using System.Text;
using System.Text.Json;
using MeshFlow.Api.Tests.Support;

namespace MeshFlow.Api.Tests.Bodies;

/// <summary>What a run request carries beside its definition: nested values held to what can be recorded, and the body's own encoding.</summary>
public sealed class RunValueBodyTests(ApiFactory factory) : IClassFixture<ApiFactory>
{
    [Theory]
    [InlineData("metadata")]
    [InlineData("input")]
    [InlineData("policy")]
    public async Task A_value_nested_a_hundred_deep_is_a_400_naming_its_field(string field)
    {
        using var client = factory.CreateAuthenticatedClient(ApiFactory.AcmeUserKey);
        var deep = string.Concat(Enumerable.Repeat("{\"a\": ", 100)) + "1" + new string('}', 100);
        var body = $"{{\"yaml\": {JsonSerializer.Serialize(ValidateRequests.MinimalYaml)}, \"input\": \"x\", \"{field}\": {deep}}}";

        using var response = await client.PostWithTimeoutAsync("/runs", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.ReadJsonAsync();
        Assert.Equal(field, problem.GetProperty("errors")[0].GetProperty("path").GetString());
        Assert.Contains($"'{field}' nests 100 levels", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metadata_at_the_depth_bound_starts_a_run()
    {
        using var client = factory.CreateAuthenticatedClient(ApiFactory.AcmeUserKey);
        var metadata = string.Concat(Enumerable.Repeat("{\"a\": ", 32)) + "1" + new string('}', 32);
        var body = $"{{\"yaml\": {JsonSerializer.Serialize(ValidateRequests.MinimalYaml)}, \"input\": \"x\", \"metadata\": {metadata}}}";

        using var response = await client.PostWithTimeoutAsync("/runs", new StringContent(body, Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task A_body_that_starts_with_a_utf8_byte_order_mark_starts_a_run()
    {
        using var client = factory.CreateAuthenticatedClient(ApiFactory.AcmeUserKey);
        byte[] body = [0xEF, 0xBB, 0xBF, .. JsonSerializer.SerializeToUtf8Bytes(new { yaml = ValidateRequests.MinimalYaml, input = "x" })];
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = new("application/json");

        using var response = await client.PostWithTimeoutAsync("/runs", content);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_a_400_stating_its_position_once()
    {
        using var client = factory.CreateAuthenticatedClient(ApiFactory.AcmeUserKey);

        using var response = await client.PostWithTimeoutAsync("/runs", new StringContent("{\"input\": x}", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var detail = (await response.ReadJsonAsync()).GetProperty("detail").GetString()!;
        Assert.Contains("(line 1, byte 11 of the line)", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("BytePositionInLine", detail, StringComparison.Ordinal);
    }
}
