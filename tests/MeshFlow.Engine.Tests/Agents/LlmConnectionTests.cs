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
}
