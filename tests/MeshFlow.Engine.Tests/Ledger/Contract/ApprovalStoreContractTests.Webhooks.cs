using MeshFlow.Approvals;

namespace MeshFlow.Tests.Ledger.Contract;

public abstract partial class ApprovalStoreContractTests<TStore>
{
    private static readonly TimeSpan ClaimFor = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_claim_takes_due_messages_oldest_first_and_none_again_until_the_claim_lapses()
    {
        var tenant = NewTenant();
        var (record, _) = await PauseNewRunAsync(tenant, notifications:
            [Message(tenant, "", due: At.AddMinutes(5)), Message(tenant, "", due: At), Message(tenant, "", due: At.AddSeconds(-1))]);
        var stored = await Store.ListWebhooksAsync(tenant, record.RunId, Token);
        var (overdue, due, future) = (stored.Single(m => m.NextAttemptAt < At), stored.Single(m => m.NextAttemptAt == At), stored.Single(m => m.NextAttemptAt > At));

        Assert.Equal([overdue], await ClaimOursAsync(tenant, At, max: 1));
        Assert.Equal([due], await ClaimOursAsync(tenant, At, max: 10));
        Assert.Empty(await ClaimOursAsync(tenant, At.AddSeconds(29), max: 10));

        // Both claims lapse at At + 30 s; the future message is not due until At + 5 min.
        Assert.Equal([overdue, due], await ClaimOursAsync(tenant, At.AddSeconds(30), max: 10));
        Assert.Equal([overdue, due, future], await ClaimOursAsync(tenant, At.AddMinutes(5), max: 10));
    }

    [Fact]
    public async Task Concurrent_claimers_never_get_the_same_message()
    {
        var tenant = NewTenant();
        await PauseNewRunAsync(tenant, notifications: [.. Enumerable.Range(0, 40).Select(i => Message(tenant, "", due: At.AddMilliseconds(-i)))]);
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var claimers = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            await go.Task;
            var mine = new List<string>();
            while (await Store.ClaimDueWebhooksAsync(At, 3, TimeSpan.FromMinutes(10), Token) is { Count: > 0 } claimed)
            {
                mine.AddRange(claimed.Where(m => m.TenantId == tenant).Select(m => m.Id));
            }

            return mine;
        }, Token)).ToArray();
        go.SetResult();
        var all = (await Task.WhenAll(claimers).WaitAsync(Timeout, Token)).SelectMany(ids => ids).ToList();

        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.Equal(40, all.Count + (await ClaimOursAsync(tenant, At, max: 100)).Count);
    }

    [Fact]
    public async Task An_attempt_moves_its_message_releases_its_claim_and_attempts_are_listed_in_order()
    {
        var tenant = NewTenant();
        var (record, _) = await PauseNewRunAsync(tenant, notifications: Message(tenant, ""));
        var run = record.RunId;
        var message = Assert.Single(await Store.ListWebhooksAsync(tenant, run, Token));
        Assert.Equal([message], await ClaimOursAsync(tenant, At, max: 10, claimFor: TimeSpan.FromHours(1)));

        var first = new WebhookAttempt
        {
            MessageId = message.Id, TenantId = tenant, RunId = run, Attempt = 1, At = At, StatusCode = 503, Outcome = WebhookOutcomes.HttpError,
            Error = "503 Service Unavailable", DurationMs = 12.5,
        };
        await Store.RecordWebhookAttemptAsync(first, WebhookMessageState.Pending, At.AddSeconds(10), Token);

        var retrying = message with { Attempts = 1, NextAttemptAt = At.AddSeconds(10) };
        Assert.Equal([retrying], await Store.ListWebhooksAsync(tenant, run, Token));
        Assert.Empty(await ClaimOursAsync(tenant, At.AddSeconds(9), max: 10));
        Assert.Equal([retrying], await ClaimOursAsync(tenant, At.AddSeconds(10), max: 10));

        var second = first with { Attempt = 2, At = At.AddSeconds(10), StatusCode = 204, Outcome = WebhookOutcomes.Delivered, Error = null, DurationMs = 8.25 };
        await Store.RecordWebhookAttemptAsync(second, WebhookMessageState.Delivered, null, Token);

        Assert.Equal([retrying with { Attempts = 2, State = WebhookMessageState.Delivered }], await Store.ListWebhooksAsync(tenant, run, Token));
        Assert.Empty(await ClaimOursAsync(tenant, At.AddDays(1), max: 10));
        Assert.Equal([first, second], await Store.ListWebhookAttemptsAsync(tenant, run, Token));
        Assert.Empty(await Store.ListWebhookAttemptsAsync(NewTenant(), run, Token));

        // Another tenant cannot record an attempt at this tenant's message.
        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            Store.RecordWebhookAttemptAsync(first with { TenantId = NewTenant(), Attempt = 3 }, WebhookMessageState.Failed, null, Token));
        Assert.Equal([first, second], await Store.ListWebhookAttemptsAsync(tenant, run, Token));
    }

    [Fact]
    public async Task An_endpoint_is_disabled_for_its_tenant_only()
    {
        var tenant = NewTenant();
        const string url = "https://hooks.example.com/gone";
        Assert.False(await Store.IsWebhookEndpointDisabledAsync(tenant, url, Token));

        await Store.DisableWebhookEndpointAsync(tenant, url, At, Token);
        await Store.DisableWebhookEndpointAsync(tenant, url, At.AddMinutes(1), Token);

        Assert.True(await Store.IsWebhookEndpointDisabledAsync(tenant, url, Token));
        Assert.False(await Store.IsWebhookEndpointDisabledAsync(tenant, url + "/other", Token));
        Assert.False(await Store.IsWebhookEndpointDisabledAsync(NewTenant(), url, Token));
    }

    [Fact]
    public async Task A_lease_is_renewed_by_its_holder_and_taken_by_another_only_once_it_expires()
    {
        var name = "hitl-timeouts-" + Guid.NewGuid().ToString("N");
        var lease = TimeSpan.FromSeconds(30);

        Assert.True(await Store.TryAcquireLeaseAsync(name, "worker-a", At, lease, Token));
        Assert.True(await Store.TryAcquireLeaseAsync(name, "worker-a", At.AddSeconds(10), lease, Token));
        Assert.False(await Store.TryAcquireLeaseAsync(name, "worker-b", At.AddSeconds(39), lease, Token));
        Assert.True(await Store.TryAcquireLeaseAsync(name, "worker-b", At.AddSeconds(40), lease, Token));
        Assert.False(await Store.TryAcquireLeaseAsync(name, "worker-a", At.AddSeconds(41), lease, Token));
    }

    [Fact]
    public async Task Of_concurrent_takers_of_a_free_lease_exactly_one_gets_it()
    {
        var name = "hitl-timeouts-" + Guid.NewGuid().ToString("N");
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var takers = Enumerable.Range(0, 12).Select(i => Task.Run(async () =>
        {
            await go.Task;
            return await Store.TryAcquireLeaseAsync(name, $"worker-{i}", At, TimeSpan.FromSeconds(30), Token);
        }, Token)).ToArray();
        go.SetResult();

        Assert.Single(await Task.WhenAll(takers).WaitAsync(Timeout, Token), taken => taken);
    }

    // Claims at now and keeps the tenant's messages: the claim serves every tenant.
    private async Task<List<WebhookMessage>> ClaimOursAsync(string tenant, DateTimeOffset now, int max, TimeSpan? claimFor = null) =>
        [.. (await Store.ClaimDueWebhooksAsync(now, max, claimFor ?? ClaimFor, Token)).Where(m => m.TenantId == tenant)];
}
