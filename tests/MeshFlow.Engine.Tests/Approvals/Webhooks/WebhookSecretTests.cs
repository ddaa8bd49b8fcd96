using MeshFlow.Approvals.Webhooks;

namespace MeshFlow.Tests.Approvals.Webhooks;

public sealed class WebhookSecretTests
{
    [Theory]
    [InlineData(24)]
    [InlineData(32)]
    [InlineData(64)]
    public void A_secret_of_24_to_64_bytes_parses(int bytes)
    {
        Assert.Equal($"whsec_*** ({bytes} bytes)", WebhookSecret.Parse(StandardWebhooksVerifier.NewSecret(bytes)).ToString());
    }

    [Theory]
    [InlineData(16, "decodes to 16 bytes; 24 to 64 are required")]
    [InlineData(23, "decodes to 23 bytes")]
    [InlineData(65, "decodes to 65 bytes")]
    public void A_secret_of_the_wrong_length_is_refused_without_being_repeated(int bytes, string expected)
    {
        var secret = StandardWebhooksVerifier.NewSecret(bytes);

        var error = Assert.Throws<FormatException>(() => WebhookSecret.Parse(secret));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(secret["whsec_".Length..], error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_secret_without_the_prefix_is_refused_without_being_repeated()
    {
        var bare = StandardWebhooksVerifier.NewSecret()["whsec_".Length..];

        var error = Assert.Throws<FormatException>(() => WebhookSecret.Parse(bare));

        Assert.Contains("does not start with 'whsec_'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(bare, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_secret_that_is_not_base64_is_refused_without_being_repeated()
    {
        const string Secret = "whsec_not*base64*at*all*but*long*enough*0123";

        var error = Assert.Throws<FormatException>(() => WebhookSecret.Parse(Secret));

        Assert.Contains("not valid base64", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not*base64", error.Message, StringComparison.Ordinal);
    }
}
