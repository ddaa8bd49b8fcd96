using MeshFlow.Agents;

namespace MeshFlow.Tests.Agents;

public sealed class LlmConnectionTests
{
    [Fact]
    public void A_full_connection_string_parses_every_field()
    {
        var connection = LlmConnection.Parse("Provider=openai;Endpoint=http://localhost:8080/v1;Key=sk-abc;Model=llama3");

        Assert.Equal("openai", connection.Provider);
        Assert.Equal(new Uri("http://localhost:8080/v1"), connection.Endpoint);
        Assert.Equal("sk-abc", connection.Key);
        Assert.Equal("llama3", connection.Model);
    }

    [Fact]
    public void ToString_never_shows_the_key()
    {
        var connection = LlmConnection.Parse("Provider=openai;Key=sk-secret-123;Model=gpt-4o-mini");

        Assert.DoesNotContain("sk-secret-123", connection.ToString(), StringComparison.Ordinal);
        Assert.Contains("Key=***", connection.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Provider=openai;Key=sk-secret-123", "no Model")]
    [InlineData("Provider=cohere;Key=sk-secret-123;Model=m", "provider 'cohere'")]
    [InlineData("Provider=openai;Endpoint=not a url;Key=sk-secret-123;Model=m", "Endpoint 'not a url'")]
    [InlineData("Provider=openai;Endpoint=ftp://x;Key=sk-secret-123;Model=m", "not an absolute http(s) URL")]
    [InlineData("Key='sk-secret-123", "malformed")]
    public void A_bad_connection_string_is_rejected_with_the_field_named_and_the_key_hidden(string text, string expected)
    {
        var error = Assert.Throws<FormatException>(() => LlmConnection.Parse(text));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-secret-123", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Provider=azure;Key=k-secret-123;Model=gpt-4o", "(provider azure) has no Endpoint")]
    [InlineData("Provider=azure;Endpoint=https://r.openai.azure.com;Model=gpt-4o", "neither Key (the api-key header) nor Token")]
    [InlineData("Provider=anthropic;Model=claude-sonnet-4-5", "(provider anthropic) has no Key")]
    [InlineData("Provider=gemini;Model=gemini-2.5-flash", "(provider gemini) has no Key")]
    [InlineData("Provider=openai;Key=k-secret-123;Model=m;Deployment=d", "only provider azure uses")]
    [InlineData("Provider=openai;Key=k-secret-123;Model=m;InputPrice=abc;OutputPrice=1", "InputPrice 'abc'")]
    [InlineData("Provider=openai;Key=k-secret-123;Model=m;InputPrice=1", "InputPrice but no OutputPrice")]
    public void Each_provider_names_the_field_it_cannot_do_without(string text, string expected)
    {
        var error = Assert.Throws<FormatException>(() => LlmConnection.Parse(text, "main"));

        Assert.Contains("'llm-main'", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("k-secret-123", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_azure_connection_keeps_its_deployment_api_version_and_token_and_never_shows_the_token()
    {
        var connection = LlmConnection.Parse(
            "Provider=azure;Endpoint=https://r.openai.azure.com;Token=eyJ-secret-token;Deployment=prod-4o;ApiVersion=2025-01-01-preview;Model=gpt-4o", "azure");

        Assert.Equal(("azure", "prod-4o", "2025-01-01-preview", "eyJ-secret-token"), (connection.Provider, connection.Deployment, connection.ApiVersion, connection.Token));
        Assert.Equal("llm-azure", connection.ConfigurationName);
        Assert.DoesNotContain("eyJ-secret-token", connection.ToString(), StringComparison.Ordinal);
    }
}
