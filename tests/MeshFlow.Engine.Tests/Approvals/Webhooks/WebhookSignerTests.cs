using System.Globalization;
using MeshFlow.Approvals.Webhooks;

namespace MeshFlow.Tests.Approvals.Webhooks;

public sealed class WebhookSignerTests
{
    // The "sign function works" vector of the Standard Webhooks reference libraries:
    // https://github.com/standard-webhooks/standard-webhooks/blob/main/libraries/javascript/src/webhook.test.ts
    private const string VectorSecret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string VectorId = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const long VectorTimestamp = 1614265330;
    private const string VectorBody = """{"test": 2432232314}""";
    private const string VectorSignature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    private static readonly DateTimeOffset VectorTime = DateTimeOffset.FromUnixTimeSeconds(VectorTimestamp);

    [Fact]
    public void Signs_the_published_Standard_Webhooks_test_vector()
    {
        Assert.Equal(VectorSignature, WebhookSigner.Sign(WebhookSecret.Parse(VectorSecret), VectorId, VectorTimestamp, VectorBody));
    }

    [Fact]
    public void The_vector_signature_passes_an_independent_verifier()
    {
        var header = WebhookSigner.SignatureHeader([WebhookSecret.Parse(VectorSecret)], VectorId, VectorTimestamp, VectorBody);

        Assert.True(StandardWebhooksVerifier.Verify(VectorSecret, VectorId, Timestamp(VectorTimestamp), header, VectorBody, VectorTime));
    }

    [Fact]
    public void A_one_byte_change_in_the_body_fails_verification()
    {
        var header = WebhookSigner.SignatureHeader([WebhookSecret.Parse(VectorSecret)], VectorId, VectorTimestamp, VectorBody);
        var tampered = VectorBody.Replace("2432232314", "2432232315", StringComparison.Ordinal);

        Assert.False(StandardWebhooksVerifier.Verify(VectorSecret, VectorId, Timestamp(VectorTimestamp), header, tampered, VectorTime));
    }

    [Theory]
    [InlineData(301)]
    [InlineData(-301)]
    public void A_timestamp_301_seconds_from_now_fails_verification(int offsetSeconds)
    {
        var header = WebhookSigner.SignatureHeader([WebhookSecret.Parse(VectorSecret)], VectorId, VectorTimestamp, VectorBody);

        Assert.False(StandardWebhooksVerifier.Verify(VectorSecret, VectorId, Timestamp(VectorTimestamp), header, VectorBody,
            VectorTime.AddSeconds(offsetSeconds)));
        // The window's edge still passes: the failure is the tolerance, not the signature.
        Assert.True(StandardWebhooksVerifier.Verify(VectorSecret, VectorId, Timestamp(VectorTimestamp), header, VectorBody,
            VectorTime.AddSeconds(Math.Sign(offsetSeconds) * 300)));
    }

    [Fact]
    public void A_signature_made_for_another_timestamp_fails_verification()
    {
        var header = WebhookSigner.SignatureHeader([WebhookSecret.Parse(VectorSecret)], VectorId, VectorTimestamp + 1, VectorBody);

        Assert.False(StandardWebhooksVerifier.Verify(VectorSecret, VectorId, Timestamp(VectorTimestamp), header, VectorBody, VectorTime));
    }

    [Fact]
    public void A_wrong_secret_fails_verification()
    {
        var header = WebhookSigner.SignatureHeader([WebhookSecret.Parse(VectorSecret)], VectorId, VectorTimestamp, VectorBody);

        Assert.False(StandardWebhooksVerifier.Verify(StandardWebhooksVerifier.NewSecret(), VectorId, Timestamp(VectorTimestamp), header,
            VectorBody, VectorTime));
    }

    [Fact]
    public void Rotation_sends_one_space_separated_signature_per_secret_and_each_verifies()
    {
        var old = StandardWebhooksVerifier.NewSecret();
        var current = StandardWebhooksVerifier.NewSecret(64);

        var header = WebhookSigner.SignatureHeader([WebhookSecret.Parse(old), WebhookSecret.Parse(current)], VectorId, VectorTimestamp, VectorBody);

        var signatures = header.Split(' ');
        Assert.Equal(2, signatures.Length);
        Assert.All(signatures, signature => Assert.Matches("^v1,[A-Za-z0-9+/]{43}=$", signature));
        Assert.NotEqual(signatures[0], signatures[1]);
        Assert.True(StandardWebhooksVerifier.Verify(old, VectorId, Timestamp(VectorTimestamp), signatures[0], VectorBody, VectorTime));
        Assert.True(StandardWebhooksVerifier.Verify(current, VectorId, Timestamp(VectorTimestamp), signatures[1], VectorBody, VectorTime));
        Assert.True(StandardWebhooksVerifier.Verify(old, VectorId, Timestamp(VectorTimestamp), header, VectorBody, VectorTime));
        Assert.True(StandardWebhooksVerifier.Verify(current, VectorId, Timestamp(VectorTimestamp), header, VectorBody, VectorTime));
    }

    [Fact]
    public void An_id_with_a_full_stop_is_refused_because_it_would_make_the_signed_content_ambiguous()
    {
        Assert.Throws<ArgumentException>(() => WebhookSigner.Sign(WebhookSecret.Parse(VectorSecret), "msg.1", VectorTimestamp, VectorBody));
    }

    [Fact]
    public void Nothing_is_signed_without_a_secret()
    {
        Assert.Throws<ArgumentException>(() => WebhookSigner.SignatureHeader([], VectorId, VectorTimestamp, VectorBody));
    }

    private static string Timestamp(long seconds) => seconds.ToString(CultureInfo.InvariantCulture);
}
