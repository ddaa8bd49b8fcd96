using MeshFlow.Approvals.Webhooks;

namespace MeshFlow.Tests.Approvals.Webhooks;

public sealed class WebhookRetryScheduleTests
{
    private static readonly DateTimeOffset FailedAt = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset FarDeadline = FailedAt.AddDays(30);

    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 5 * 60)]
    [InlineData(3, 30 * 60)]
    [InlineData(4, 2 * 3600)]
    [InlineData(5, 5 * 3600)]
    [InlineData(6, 5 * 3600)]
    [InlineData(40, 5 * 3600)]
    public void After_each_failed_attempt_the_next_comes_on_the_schedule(int attempt, int seconds)
    {
        Assert.Equal(TimeSpan.FromSeconds(seconds), WebhookRetrySchedule.DelayAfter(attempt));
        Assert.Equal(FailedAt.AddSeconds(seconds), WebhookRetrySchedule.NextAttemptAt(attempt, FailedAt, FarDeadline));
    }

    [Fact]
    public void A_longer_retry_after_replaces_the_computed_delay()
    {
        Assert.Equal(FailedAt.AddMinutes(10), WebhookRetrySchedule.NextAttemptAt(1, FailedAt, FarDeadline, TimeSpan.FromMinutes(10)));
    }

    [Fact]
    public void A_shorter_retry_after_leaves_the_computed_delay()
    {
        Assert.Equal(FailedAt.AddMinutes(30), WebhookRetrySchedule.NextAttemptAt(3, FailedAt, FarDeadline, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void A_retry_after_is_capped_at_a_day()
    {
        Assert.Equal(FailedAt.AddHours(24), WebhookRetrySchedule.NextAttemptAt(1, FailedAt, FarDeadline, TimeSpan.FromDays(365)));
    }

    [Fact]
    public void No_attempt_is_scheduled_after_the_deadline()
    {
        Assert.Equal(FailedAt.AddMinutes(5), WebhookRetrySchedule.NextAttemptAt(2, FailedAt, FailedAt.AddMinutes(5)));
        Assert.Null(WebhookRetrySchedule.NextAttemptAt(2, FailedAt, FailedAt.AddMinutes(5).AddTicks(-1)));
        Assert.Null(WebhookRetrySchedule.NextAttemptAt(1, FailedAt, FailedAt.AddHours(12), TimeSpan.FromDays(1)));
    }
}
