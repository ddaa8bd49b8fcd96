using System.Globalization;
using System.Net;
using System.Net.Sockets;
using MeshFlow.Approvals;
using MeshFlow.Approvals.Webhooks;
using MeshFlow.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace MeshFlow.Tests.Approvals.Webhooks;

public sealed class WebhookSenderTests
{
    private const string Tenant = "acme";
    private const string Body = """{"type":"hitl.pause","data":{"run_id":"run_1","reason":"tier 3 needs approval"}}""";

    private static readonly DateTimeOffset Now = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

    private readonly string _secret = StandardWebhooksVerifier.NewSecret();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_2xx_answer_is_delivered_with_the_stored_body_signed_as_the_spec_says()
    {
        await using var receiver = await WebhookReceiver.StartAsync(WebhookReceiver.Answer(StatusCodes.Status204NoContent));
        using var sender = Sender(allowPrivate: true, time: new FakeTimeProvider(Now));

        var result = await sender.SendAsync(Message(receiver.Url), attempt: 1, Token);

        Assert.Equal(WebhookOutcomes.Delivered, result.Attempt.Outcome);
        Assert.Equal(204, result.Attempt.StatusCode);
        Assert.Null(result.Attempt.Error);
        var request = Assert.Single(receiver.Received);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/hooks/T0KEN-in-path", request.PathAndQuery);
        Assert.Equal(Body, request.Body);
        Assert.Equal("application/json", request.Header("Content-Type"));
        Assert.Equal("MeshFlow-Webhooks/1", request.Header("User-Agent"));
        Assert.Equal("msg_sender1", request.Header("webhook-id"));
        Assert.Equal(Now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), request.Header("webhook-timestamp"));
        Assert.Equal(request.Header("webhook-signature"), request.Header("X-MeshFlow-Signature"));
        Assert.True(StandardWebhooksVerifier.Verify(_secret, request.Header("webhook-id"), request.Header("webhook-timestamp"),
            request.Header("webhook-signature"), request.Body, Now));
    }

    [Fact]
    public async Task During_rotation_the_request_carries_two_signatures_and_each_secret_verifies_it()
    {
        var next = StandardWebhooksVerifier.NewSecret(48);
        await using var receiver = await WebhookReceiver.StartAsync();
        using var sender = Sender(allowPrivate: true, secrets: $"{Tenant}={_secret},{Tenant}={next}", time: new FakeTimeProvider(Now));

        var result = await sender.SendAsync(Message(receiver.Url), attempt: 1, Token);

        Assert.Equal(WebhookOutcomes.Delivered, result.Attempt.Outcome);
        var request = Assert.Single(receiver.Received);
        var header = request.Header("webhook-signature");
        Assert.Equal(2, header.Split(' ').Length);
        foreach (var secret in new[] { _secret, next })
        {
            Assert.True(StandardWebhooksVerifier.Verify(secret, request.Header("webhook-id"), request.Header("webhook-timestamp"), header,
                request.Body, Now));
        }
    }

    [Fact]
    public async Task A_500_is_an_http_error_without_a_retry_after()
    {
        await using var receiver = await WebhookReceiver.StartAsync(WebhookReceiver.Answer(StatusCodes.Status500InternalServerError, ("Retry-After", "60")));
        using var sender = Sender(allowPrivate: true);

        var result = await sender.SendAsync(Message(receiver.Url), attempt: 3, Token);

        Assert.Equal(WebhookOutcomes.HttpError, result.Attempt.Outcome);
        Assert.Equal(500, result.Attempt.StatusCode);
        Assert.Equal(3, result.Attempt.Attempt);
        Assert.Equal("answered 500 Internal Server Error", result.Attempt.Error);
        Assert.Null(result.RetryAfter);
        AssertNothingSecretIn(result.Attempt);
    }

    [Fact]
    public async Task A_410_is_gone()
    {
        await using var receiver = await WebhookReceiver.StartAsync(WebhookReceiver.Answer(StatusCodes.Status410Gone));
        using var sender = Sender(allowPrivate: true);

        var result = await sender.SendAsync(Message(receiver.Url), attempt: 1, Token);

        Assert.Equal(WebhookOutcomes.Gone, result.Attempt.Outcome);
        Assert.Equal(410, result.Attempt.StatusCode);
    }

    [Fact]
    public async Task A_302_is_a_redirect_that_is_not_followed()
    {
        await using var target = await WebhookReceiver.StartAsync();
        await using var receiver = await WebhookReceiver.StartAsync(WebhookReceiver.Answer(StatusCodes.Status302Found, ("Location", target.Url)));
        using var sender = Sender(allowPrivate: true);

        var result = await sender.SendAsync(Message(receiver.Url), attempt: 1, Token);

        Assert.Equal(WebhookOutcomes.Redirect, result.Attempt.Outcome);
        Assert.Equal(302, result.Attempt.StatusCode);
        Assert.Single(receiver.Received);
        Assert.Empty(target.Received);
    }

    [Fact]
    public async Task A_429_carries_its_retry_after_in_seconds()
    {
        await using var receiver = await WebhookReceiver.StartAsync(WebhookReceiver.Answer(StatusCodes.Status429TooManyRequests, ("Retry-After", "120")));
        using var sender = Sender(allowPrivate: true);

        var result = await sender.SendAsync(Message(receiver.Url), attempt: 1, Token);

        Assert.Equal(WebhookOutcomes.HttpError, result.Attempt.Outcome);
        Assert.Equal(429, result.Attempt.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(120), result.RetryAfter);
    }

    [Fact]
    public async Task A_503_carries_its_retry_after_as_an_http_date_measured_from_the_injected_clock()
    {
        var time = new FakeTimeProvider(Now);
        var date = Now.AddSeconds(90).ToString("R", CultureInfo.InvariantCulture);
        await using var receiver = await WebhookReceiver.StartAsync(WebhookReceiver.Answer(StatusCodes.Status503ServiceUnavailable, ("Retry-After", date)));
        using var sender = Sender(allowPrivate: true, time: time);

        var result = await sender.SendAsync(Message(receiver.Url), attempt: 1, Token);

        Assert.Equal(503, result.Attempt.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(90), result.RetryAfter);
        Assert.Equal(Now, result.Attempt.At);
        var request = Assert.Single(receiver.Received);
        Assert.Equal(Now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), request.Header("webhook-timestamp"));
    }

    [Fact]
    public async Task A_receiver_that_never_answers_is_a_timeout()
    {
        await using var receiver = await WebhookReceiver.StartAsync(WebhookReceiver.Hang);
        using var sender = Sender(allowPrivate: true, timeout: TimeSpan.FromSeconds(1));

        var result = await sender.SendAsync(Message(receiver.Url), attempt: 1, Token).WaitAsync(TestTimeouts.Default, Token);

        Assert.Equal(WebhookOutcomes.Timeout, result.Attempt.Outcome);
        Assert.Null(result.Attempt.StatusCode);
        Assert.Equal("no answer within 1 s", result.Attempt.Error);
        Assert.Single(receiver.Received);
    }

    [Fact]
    public async Task A_loopback_receiver_is_refused_when_private_addresses_are_not_allowed_and_receives_nothing()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var sender = Sender(allowPrivate: false);

        var result = await sender.SendAsync(Message(receiver.Url), attempt: 1, Token);

        Assert.Equal(WebhookOutcomes.RefusedAddress, result.Attempt.Outcome);
        Assert.Null(result.Attempt.StatusCode);
        Assert.Equal("'127.0.0.1' resolves only to refused addresses: 127.0.0.1 (loopback)", result.Attempt.Error);
        Assert.Empty(receiver.Received);
    }

    [Fact]
    public async Task A_name_that_resolves_to_a_public_address_when_checked_and_to_loopback_when_sent_is_refused()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var lookups = 0;
        // DNS rebinding: the first answer passes the check at submission, the second points at this host.
        var rules = new WebhookAddressRules(resolve: (_, _) => Task.FromResult(Interlocked.Increment(ref lookups) == 1
            ? new[] { IPAddress.Parse("93.184.216.34") }
            : [IPAddress.Loopback]));
        var url = $"http://rebind.test:{receiver.BaseAddress.Port}/hooks/x";
        using var sender = new WebhookSender(Secrets(), rules);

        Assert.Null(await rules.CheckUrlAsync(url, Token));
        var result = await sender.SendAsync(Message(url), attempt: 1, Token);

        Assert.Equal(WebhookOutcomes.RefusedAddress, result.Attempt.Outcome);
        Assert.Contains("'rebind.test' resolves only to refused addresses: 127.0.0.1 (loopback)", result.Attempt.Error, StringComparison.Ordinal);
        Assert.Empty(receiver.Received);
    }

    [Fact]
    public async Task The_connection_goes_to_the_address_the_rules_resolved_and_the_host_header_keeps_the_name()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var rules = new WebhookAddressRules(allowPrivate: true, resolve: (host, _) =>
            Task.FromResult(host == "hooks.acme.test" ? new[] { IPAddress.Loopback } : []));
        using var sender = new WebhookSender(Secrets(), rules);

        var result = await sender.SendAsync(Message($"http://hooks.acme.test:{receiver.BaseAddress.Port}/in"), attempt: 1, Token);

        Assert.Equal(WebhookOutcomes.Delivered, result.Attempt.Outcome);
        Assert.Equal($"hooks.acme.test:{receiver.BaseAddress.Port}", Assert.Single(receiver.Received).Header("Host"));
    }

    [Fact]
    public async Task Nothing_listening_is_a_network_error()
    {
        using var sender = Sender(allowPrivate: true);

        var result = await sender.SendAsync(Message($"http://127.0.0.1:{UnusedPort()}/hook"), attempt: 1, Token);

        Assert.Equal(WebhookOutcomes.NetworkError, result.Attempt.Outcome);
        Assert.Null(result.Attempt.StatusCode);
        Assert.Contains("ConnectionRefused", result.Attempt.Error, StringComparison.Ordinal);
        AssertNothingSecretIn(result.Attempt);
    }

    [Fact]
    public async Task A_tenant_without_a_secret_gets_no_secret_and_nothing_is_sent()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        using var sender = Sender(allowPrivate: true, secrets: $"globex={_secret}");

        var result = await sender.SendAsync(Message(receiver.Url), attempt: 1, Token);

        Assert.Equal(WebhookOutcomes.NoSecret, result.Attempt.Outcome);
        Assert.Equal("no webhook signing secret is configured for tenant 'acme'", result.Attempt.Error);
        Assert.Empty(receiver.Received);
    }

    [Fact]
    public async Task A_destination_that_is_not_an_http_url_is_refused_without_a_connection()
    {
        using var sender = Sender(allowPrivate: true);

        var result = await sender.SendAsync(Message("file:///etc/passwd"), attempt: 1, Token);

        Assert.Equal(WebhookOutcomes.RefusedAddress, result.Attempt.Outcome);
    }

    private WebhookSender Sender(bool allowPrivate, string? secrets = null, TimeSpan? timeout = null, TimeProvider? time = null) =>
        new(Secrets(secrets), new WebhookAddressRules(allowPrivate),
            new WebhookSenderOptions { AttemptTimeout = timeout ?? TestTimeouts.Default }, time);

    private WebhookSecrets Secrets(string? entries = null) => WebhookSecrets.Parse(entries ?? $"{Tenant}={_secret}");

    private static WebhookMessage Message(string url) => new()
    {
        Id = "msg_sender1", TenantId = Tenant, RunId = "run_1", Type = "hitl.pause", Url = url, Body = Body,
        CreatedAt = Now, NextAttemptAt = Now, Deadline = Now.AddDays(1),
    };

    private void AssertNothingSecretIn(WebhookAttempt attempt)
    {
        Assert.DoesNotContain(_secret["whsec_".Length..], attempt.Error ?? "", StringComparison.Ordinal);
        Assert.DoesNotContain("tier 3 needs approval", attempt.Error ?? "", StringComparison.Ordinal);
        Assert.DoesNotContain("T0KEN", attempt.Error ?? "", StringComparison.Ordinal);
    }

    private static int UnusedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
