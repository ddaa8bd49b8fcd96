using System.Text;
using MeshFlow.AppHost.Tests.Support;

namespace MeshFlow.AppHost.Tests;

/// <summary>The tests' own signature check, held to the specification's published example before it judges MeshFlow.</summary>
public sealed class StandardWebhookVerifierTests
{
    // The example of the Standard Webhooks specification (standard-webhooks/standard-webhooks, spec and libraries' tests).
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    private const string Id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
    private const long Timestamp = 1614265330;
    private const string Body = """{"test": 2432232314}""";
    private const string Signature = "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=";

    private static readonly StandardWebhookVerifier AtSigning = new(Secret, new FixedTime(DateTimeOffset.FromUnixTimeSeconds(Timestamp)));

    private static ReceivedWebhook Example(string signature = Signature, string body = Body) => new(
        new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
        {
            ["Webhook-Id"] = Id,
            ["Webhook-Timestamp"] = Timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Webhook-Signature"] = signature,
        },
        Encoding.UTF8.GetBytes(body),
        200);

    [Fact]
    public void The_specification_s_example_verifies_alone_or_among_other_signatures()
    {
        Assert.Null(AtSigning.Problem(Example()));
        Assert.Null(AtSigning.Problem(Example($"v1,{Convert.ToBase64String(new byte[32])} {Signature}")));
    }

    [Fact]
    public void A_changed_body_another_secret_a_stale_timestamp_or_another_scheme_is_refused()
    {
        var otherSecret = new StandardWebhookVerifier(AppHostFixture.AcmeWebhookSecret, new FixedTime(DateTimeOffset.FromUnixTimeSeconds(Timestamp)));
        var later = new StandardWebhookVerifier(Secret, new FixedTime(DateTimeOffset.FromUnixTimeSeconds(Timestamp) + TimeSpan.FromMinutes(6)));

        Assert.Contains("matches", AtSigning.Problem(Example(body: """{"test": 2432232315}""")), StringComparison.Ordinal);
        Assert.Contains("matches", otherSecret.Problem(Example()), StringComparison.Ordinal);
        Assert.Contains("tolerance", later.Problem(Example()), StringComparison.Ordinal);
        Assert.Contains("matches", AtSigning.Problem(Example(Signature.Replace("v1,", "v1a,", StringComparison.Ordinal))), StringComparison.Ordinal);
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
