using System.Globalization;
using MeshFlow.Approvals;
using MeshFlow.Approvals.Webhooks;
using MeshFlow.Observability.Metrics;
using MeshFlow.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;

namespace MeshFlow.Tests.Approvals.Webhooks;

public sealed class WebhookDispatcherTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(1);

    private readonly FakeTimeProvider _time = new(Start);
    private readonly InMemoryOutbox _outbox = new();
    private readonly string _acmeSecret = StandardWebhooksVerifier.NewSecret();
    private readonly string _globexSecret = StandardWebhooksVerifier.NewSecret();
    private readonly List<WebhookSender> _senders = [];

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_receiver_that_is_down_gets_the_message_on_a_later_pass()
    {
        await using var receiver = await WebhookReceiver.StartAsync(WebhookReceiver.Answer(StatusCodes.Status503ServiceUnavailable));
        var dispatcher = Dispatcher();
        _outbox.Add(Message("msg_down", receiver.Url, deadline: Start.AddHours(1)));

        Assert.Equal(1, await dispatcher.DispatchDueAsync(Token));
        var (failed, state, next) = Assert.Single(_outbox.AttemptsOf("msg_down"));
        Assert.Equal((WebhookOutcomes.HttpError, 503, 1), (failed.Outcome, failed.StatusCode, failed.Attempt));
        Assert.Equal(WebhookMessageState.Pending, state);
        Assert.Equal(Start.AddSeconds(5), next);

        // Not due yet: a pass at the same instant sends nothing.
        Assert.Equal(0, await dispatcher.DispatchDueAsync(Token));

        receiver.Respond = WebhookReceiver.Answer(StatusCodes.Status200OK);
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(1, await dispatcher.DispatchDueAsync(Token));

        var delivered = _outbox.AttemptsOf("msg_down")[1];
        Assert.Equal((WebhookOutcomes.Delivered, 2, WebhookMessageState.Delivered), (delivered.Attempt.Outcome, delivered.Attempt.Attempt, delivered.State));
        Assert.Equal(WebhookMessageState.Delivered, _outbox.Message("msg_down").State);
        Assert.Equal(2, receiver.Received.Count);
        Assert.All(receiver.Received, request => Assert.Equal("msg_down", request.Header("webhook-id")));
        // Each attempt is signed at its own time, so a late retry still fits a receiver's replay window.
        Assert.Equal([Start.ToUnixTimeSeconds(), Start.AddSeconds(5).ToUnixTimeSeconds()],
            receiver.Received.Select(request => long.Parse(request.Header("webhook-timestamp"), CultureInfo.InvariantCulture)));
    }

    [Fact]
    public async Task Each_recorded_attempt_is_counted_once_as_delivered_retried_or_failed()
    {
        await using var down = await WebhookReceiver.StartAsync(WebhookReceiver.Answer(StatusCodes.Status503ServiceUnavailable));
        await using var gone = await WebhookReceiver.StartAsync(WebhookReceiver.Answer(StatusCodes.Status410Gone));
        using var metrics = new MeshFlowMetrics();
        using var deliveries = new MetricCollector<long>(metrics.Meter, MetricNames.WebhookDeliveries);
        var dispatcher = Dispatcher(metrics: metrics);
        _outbox.Add(Message("msg_retry", down.Url, deadline: Start.AddHours(1)));
        _outbox.Add(Message("msg_gone", gone.Url));

        Assert.Equal(2, await dispatcher.DispatchDueAsync(Token));
        down.Respond = WebhookReceiver.Answer(StatusCodes.Status200OK);
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(1, await dispatcher.DispatchDueAsync(Token));

        Assert.Equal(["delivered", "failed", "retried"], deliveries.GetMeasurementSnapshot()
            .Select(m => (string)m.Tags[MetricTags.Outcome]!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_410_disables_the_endpoint_for_the_tenant_and_its_next_message_there_is_not_sent()
    {
        await using var receiver = await WebhookReceiver.StartAsync(WebhookReceiver.Answer(StatusCodes.Status410Gone));
        var dispatcher = Dispatcher();
        _outbox.Add(Message("msg_gone1", receiver.Url));

        await dispatcher.DispatchDueAsync(Token);

        var gone = Assert.Single(_outbox.AttemptsOf("msg_gone1"));
        Assert.Equal((WebhookOutcomes.Gone, WebhookMessageState.Failed), (gone.Attempt.Outcome, gone.State));
        Assert.True(await _outbox.IsWebhookEndpointDisabledAsync("acme", receiver.Url, Token));

        _outbox.Add(Message("msg_gone2", receiver.Url));
        _outbox.Add(Message("msg_other_tenant", receiver.Url, tenant: "globex"));
        Assert.Equal(2, await dispatcher.DispatchDueAsync(Token));

        var skipped = Assert.Single(_outbox.AttemptsOf("msg_gone2"));
        Assert.Equal((WebhookOutcomes.Disabled, WebhookMessageState.Failed), (skipped.Attempt.Outcome, skipped.State));
        // Only the first message and the other tenant's reached the receiver: disabling is per tenant.
        Assert.Equal(["msg_gone1", "msg_other_tenant"], receiver.Received.Select(request => request.Header("webhook-id")).Order());
    }

    [Fact]
    public async Task The_deadline_stops_the_retries_and_the_message_expires()
    {
        await using var receiver = await WebhookReceiver.StartAsync(WebhookReceiver.Answer(StatusCodes.Status500InternalServerError));
        var dispatcher = Dispatcher();
        _outbox.Add(Message("msg_deadline", receiver.Url, deadline: Start.AddMinutes(10)));

        await dispatcher.DispatchDueAsync(Token);
        _time.Advance(TimeSpan.FromSeconds(5));
        await dispatcher.DispatchDueAsync(Token);
        _time.Advance(TimeSpan.FromMinutes(5));
        await dispatcher.DispatchDueAsync(Token);

        var attempts = _outbox.AttemptsOf("msg_deadline");
        Assert.Equal([Start.AddSeconds(5), Start.AddSeconds(5).AddMinutes(5), null], attempts.Select(a => a.Next));
        var last = attempts[^1];
        // The third failure's retry would come 30 minutes later, past the deadline: the message expires.
        Assert.Equal((WebhookOutcomes.Expired, 500, WebhookMessageState.Failed), (last.Attempt.Outcome, last.Attempt.StatusCode, last.State));
        Assert.Equal("http_error (answered 500 Internal Server Error); the next attempt would fall after the deadline", last.Attempt.Error);

        _time.Advance(TimeSpan.FromHours(1));
        Assert.Equal(0, await dispatcher.DispatchDueAsync(Token));
        Assert.Equal(3, receiver.Received.Count);
    }

    [Fact]
    public async Task A_message_already_past_its_deadline_when_claimed_expires_without_being_sent()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        var dispatcher = Dispatcher();
        _outbox.Add(Message("msg_late", receiver.Url, due: Start.AddHours(-2), deadline: Start.AddHours(-1)));

        Assert.Equal(1, await dispatcher.DispatchDueAsync(Token));

        var expired = Assert.Single(_outbox.AttemptsOf("msg_late"));
        Assert.Equal((WebhookOutcomes.Expired, WebhookMessageState.Failed, (int?)null), (expired.Attempt.Outcome, expired.State, expired.Attempt.StatusCode));
        Assert.Empty(receiver.Received);
    }

    [Fact]
    public async Task A_hanging_receiver_does_not_delay_another_message_in_the_same_pass()
    {
        await using var hanging = await WebhookReceiver.StartAsync(WebhookReceiver.Hang);
        await using var healthy = await WebhookReceiver.StartAsync();
        var dispatcher = Dispatcher();
        _outbox.Add(Message("msg_hangs", hanging.Url, due: Start.AddSeconds(-1)));
        _outbox.Add(Message("msg_healthy", healthy.Url));
        var healthyRecorded = _outbox.NextAttemptRecorded("msg_healthy");

        var pass = dispatcher.DispatchDueAsync(Token);

        Assert.Equal(WebhookOutcomes.Delivered, (await healthyRecorded.WaitAsync(TestTimeouts.Default, Token)).Outcome);
        await hanging.WaitForRequestsAsync(1);
        Assert.False(pass.IsCompleted);
        Assert.Empty(_outbox.AttemptsOf("msg_hangs"));

        // The hanging attempt's timeout runs on the injected clock.
        _time.Advance(AttemptTimeout);

        Assert.Equal(2, await pass.WaitAsync(TestTimeouts.Default, Token));
        var timedOut = Assert.Single(_outbox.AttemptsOf("msg_hangs"));
        Assert.Equal((WebhookOutcomes.Timeout, WebhookMessageState.Pending), (timedOut.Attempt.Outcome, timedOut.State));
    }

    [Fact]
    public async Task A_retry_after_longer_than_the_schedule_defers_the_next_attempt()
    {
        await using var receiver = await WebhookReceiver.StartAsync(WebhookReceiver.Answer(StatusCodes.Status429TooManyRequests, ("Retry-After", "3600")));
        var dispatcher = Dispatcher();
        _outbox.Add(Message("msg_throttled", receiver.Url));

        await dispatcher.DispatchDueAsync(Token);

        Assert.Equal(Start.AddHours(1), Assert.Single(_outbox.AttemptsOf("msg_throttled")).Next);
    }

    [Fact]
    public async Task A_sender_that_throws_still_counts_the_attempt_and_the_message_is_retried()
    {
        var dispatcher = new WebhookDispatcher(_outbox, new ThrowingSender(), timeProvider: _time);
        _outbox.Add(Message("msg_throws", "https://hooks.example.com/in"));

        Assert.Equal(1, await dispatcher.DispatchDueAsync(Token));

        var (attempt, state, next) = Assert.Single(_outbox.AttemptsOf("msg_throws"));
        Assert.Equal((WebhookOutcomes.NetworkError, "the sender failed: InvalidOperationException"), (attempt.Outcome, attempt.Error));
        Assert.Equal((WebhookMessageState.Pending, Start.AddSeconds(5)), (state, next));
    }

    [Fact]
    public async Task The_loop_polls_on_the_injected_clock_and_stops_when_cancelled()
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        // A long attempt timeout: the test moves the clock while a request may be in flight.
        var dispatcher = Dispatcher(TimeSpan.FromDays(1));
        var firstRecorded = _outbox.NextAttemptRecorded("msg_loop1");
        _outbox.Add(Message("msg_loop1", receiver.Url));
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Token);

        var loop = dispatcher.RunAsync(stop.Token);
        Assert.Equal(WebhookOutcomes.Delivered, (await firstRecorded.WaitAsync(TestTimeouts.Default, Token)).Outcome);

        var secondRecorded = _outbox.NextAttemptRecorded("msg_loop2");
        _outbox.Add(Message("msg_loop2", receiver.Url));
        using (var giveUp = new CancellationTokenSource(TestTimeouts.Default))
        {
            // The loop sleeps a poll interval on the injected clock: step it until the next pass sends.
            while (receiver.Received.Count < 2)
            {
                _time.Advance(new WebhookDispatcherOptions().PollInterval);
                await Task.WhenAny(secondRecorded, Task.Delay(20, giveUp.Token));
            }
        }

        Assert.Equal(WebhookOutcomes.Delivered, (await secondRecorded.WaitAsync(TestTimeouts.Default, Token)).Outcome);
        await stop.CancelAsync();
        await loop.WaitAsync(TestTimeouts.Default, Token);
    }

    public void Dispose()
    {
        foreach (var sender in _senders)
        {
            sender.Dispose();
        }
    }

    private WebhookDispatcher Dispatcher(TimeSpan? attemptTimeout = null, IMeshFlowMetrics? metrics = null)
    {
        var secrets = WebhookSecrets.Parse($"acme={_acmeSecret},globex={_globexSecret}");
        var sender = new WebhookSender(secrets, new WebhookAddressRules(allowPrivate: true),
            new WebhookSenderOptions { AttemptTimeout = attemptTimeout ?? AttemptTimeout }, _time);
        _senders.Add(sender);
        return new WebhookDispatcher(_outbox, sender, timeProvider: _time, metrics: metrics);
    }

    private static WebhookMessage Message(string id, string url, DateTimeOffset? due = null, DateTimeOffset? deadline = null, string tenant = "acme") => new()
    {
        Id = id, TenantId = tenant, RunId = $"run_{id}", Type = "hitl.pause", Url = url,
        Body = $$"""{"type":"hitl.pause","message":"{{id}}"}""",
        CreatedAt = due ?? Start, NextAttemptAt = due ?? Start, Deadline = deadline ?? Start.AddDays(1),
    };

    private sealed class ThrowingSender : IWebhookSender
    {
        public Task<WebhookSendResult> SendAsync(WebhookMessage message, int attempt, CancellationToken cancellationToken = default) =>
            throw new InvalidOperationException("a bug, not a receiver's failure");
    }
}
