using System.Diagnostics;
using MeshFlow.Approvals;
using MeshFlow.Approvals.Webhooks;
using MeshFlow.Observability;
using MeshFlow.Tests.Approvals.Webhooks;
using MeshFlow.Tests.Support;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace MeshFlow.Tests.Observability;

/// <summary>Each webhook delivery attempt from the outbox is a span with its outcome and the receiver's status.</summary>
public sealed class WebhookSpanTests
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_failed_then_delivered_message_gives_two_delivery_spans_with_outcome_and_status()
    {
        using var spans = new SpanCollector();
        var time = new FakeTimeProvider(Start);
        var outbox = new InMemoryOutbox();
        var secret = StandardWebhooksVerifier.NewSecret();
        using var sender = new WebhookSender(WebhookSecrets.Parse($"acme={secret}"), new WebhookAddressRules(allowPrivate: true),
            new WebhookSenderOptions { AttemptTimeout = TimeSpan.FromSeconds(5) }, time);
        var dispatcher = new WebhookDispatcher(outbox, sender, timeProvider: time);
        await using var receiver = await WebhookReceiver.StartAsync(WebhookReceiver.Answer(StatusCodes.Status503ServiceUnavailable));
        outbox.Add(new WebhookMessage
        {
            Id = "msg_traced", TenantId = "acme", RunId = "run_traced", Type = "hitl.pause", Url = receiver.Url,
            Body = """{"type":"hitl.pause","note":"privileged settlement terms"}""",
            CreatedAt = Start, NextAttemptAt = Start, Deadline = Start.AddHours(1),
        });

        await dispatcher.DispatchDueAsync(TestContext.Current.CancellationToken);
        receiver.Respond = WebhookReceiver.Answer(StatusCodes.Status200OK);
        time.Advance(TimeSpan.FromSeconds(5));
        await dispatcher.DispatchDueAsync(TestContext.Current.CancellationToken);

        var attempts = spans.Named(ActivityNames.WebhookDeliver).OrderBy(s => (int)s.GetTagItem(TagNames.WebhookAttempt)!).ToList();
        Assert.Equal(2, attempts.Count);
        Assert.All(attempts, a => Assert.Equal(ActivityKind.Client, a.Kind));
        Assert.All(attempts, a => Assert.Equal(("run_traced", "msg_traced"), (a.GetTagItem(TagNames.RunId), a.GetTagItem(TagNames.WebhookMessageId))));
        Assert.Equal((WebhookOutcomes.HttpError, 503, ActivityStatusCode.Error),
            (attempts[0].GetTagItem(TagNames.WebhookOutcome), attempts[0].GetTagItem(TagNames.HttpResponseStatusCode), attempts[0].Status));
        Assert.Equal((WebhookOutcomes.Delivered, 200, ActivityStatusCode.Unset),
            (attempts[1].GetTagItem(TagNames.WebhookOutcome), attempts[1].GetTagItem(TagNames.HttpResponseStatusCode), attempts[1].Status));

        var text = spans.Text();
        Assert.DoesNotContain("settlement", text, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
    }
}
