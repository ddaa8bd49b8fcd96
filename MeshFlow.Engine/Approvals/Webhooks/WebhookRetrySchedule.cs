namespace MeshFlow.Approvals.Webhooks;

/// <summary>When a failed webhook message is attempted again.</summary>
/// <remarks>
/// After attempt 1 fails the next comes 5 seconds later, then 5 minutes, 30 minutes, 2 hours, and every 5 hours after
/// that (Standard Webhooks' example schedule, capped at 5 hours because an approval waits a day by default). A
/// receiver's <c>Retry-After</c> replaces the computed delay when it asks for longer, up to
/// <see cref="MaxRetryAfter"/>. No retry is scheduled past the message's deadline.
/// </remarks>
public static class WebhookRetrySchedule
{
    /// <summary>The longest a receiver's <c>Retry-After</c> can defer the next attempt.</summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromHours(24);

    private static readonly TimeSpan[] Delays =
    [
        TimeSpan.FromSeconds(5),
        TimeSpan.FromMinutes(5),
        TimeSpan.FromMinutes(30),
        TimeSpan.FromHours(2),
        TimeSpan.FromHours(5),
    ];

    /// <summary>The delay after attempt <paramref name="attempt"/> (1 for the first) failed.</summary>
    public static TimeSpan DelayAfter(int attempt)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        return Delays[Math.Min(attempt, Delays.Length) - 1];
    }

    /// <summary>When to make the next attempt after attempt <paramref name="attempt"/> failed at <paramref name="failedAt"/>.</summary>
    /// <param name="attempt">The attempt that failed, 1 for the first.</param>
    /// <param name="failedAt">When it failed.</param>
    /// <param name="deadline">The message's deadline: no attempt after it.</param>
    /// <param name="retryAfter">The receiver's <c>Retry-After</c>, if it sent one.</param>
    /// <returns>The time of the next attempt, or null when it would fall after the deadline (the message has expired).</returns>
    public static DateTimeOffset? NextAttemptAt(int attempt, DateTimeOffset failedAt, DateTimeOffset deadline, TimeSpan? retryAfter = null)
    {
        var delay = DelayAfter(attempt);
        if (retryAfter is { } asked && asked > delay)
        {
            delay = asked < MaxRetryAfter ? asked : MaxRetryAfter;
        }

        var next = failedAt + delay;
        return next <= deadline ? next : null;
    }
}
