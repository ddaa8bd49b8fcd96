using StackExchange.Redis;

namespace MeshFlow.Distributed.Tests.Support;

/// <summary>Retries what fails while a Redis connection recovers (a restarted server), or waits for a condition, within the test timeout.</summary>
internal static class Eventually
{
    public static async Task<T> SucceedsAsync<T>(Func<Task<T>> action)
    {
        using var timeout = new CancellationTokenSource(TestTimeouts.Default);
        while (true)
        {
            try
            {
                return await action();
            }
            catch (Exception e) when (e is RedisConnectionException or RedisTimeoutException && !timeout.IsCancellationRequested)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), timeout.Token);
            }
        }
    }

    public static Task SucceedsAsync(Func<Task> action) => SucceedsAsync(async () =>
    {
        await action();
        return true;
    });

    /// <summary>Waits, within the test timeout, until <paramref name="condition"/> holds.</summary>
    public static async Task TrueAsync(Func<Task<bool>> condition)
    {
        using var timeout = new CancellationTokenSource(TestTimeouts.Default);
        while (!await condition())
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), timeout.Token);
        }
    }

    public static Task TrueAsync(Func<bool> condition) => TrueAsync(() => Task.FromResult(condition()));
}
