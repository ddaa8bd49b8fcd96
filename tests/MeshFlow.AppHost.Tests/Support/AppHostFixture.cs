using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using MeshFlow.AppHost.Infrastructure;
using MeshFlow.AppHost.Infrastructure.Postgres;
using MeshFlow.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace MeshFlow.AppHost.Tests.Support;

/// <summary>
/// The whole AppHost, booted once for every test in <see cref="SharedAppHost"/>: postgres and redis (local
/// processes here, containers where a runtime exists), the api healthy, both worker replicas running.
/// </summary>
/// <remarks>
/// The servers keep their data in a fresh temp folder, so a developer's own AppHost (and its data) is never touched
/// and the first-use path (initdb, database creation) runs every time.
/// </remarks>
public sealed class AppHostFixture : IAsyncLifetime
{
    /// <summary>Handed to the api as <c>MESHFLOW_API_KEYS</c>: a key per tenant, and an admin key.</summary>
    public const string ApiKeys = "k-acme:acme,k-globex:globex,k-admin:default:admin,k-burst:burst";

    /// <summary>The api's rate limit per key per minute: low enough for a test to reach with <see cref="BurstKey"/>.</summary>
    public const int RateLimit = 120;

    /// <summary>A key of its own for the rate-limit test, so its 429s never reach other tests.</summary>
    public const string BurstKey = "k-burst";

    /// <summary>The model of the slow LLM: each of its steps streams 20 chunks, 100 ms apart.</summary>
    public const string SlowModel = "slow";

    public const string AcmeKey = "k-acme";
    public const string GlobexKey = "k-globex";
    public const string AdminKey = "k-admin";

    private const int WorkerReplicas = 2;

    private static readonly string[] DiagnosedResources = ["postgres", "ledger", "redis", "api", "worker"];

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), "meshflow-apphost-tests-" + Guid.NewGuid().ToString("N")[..12]);
    private readonly ConcurrentDictionary<string, string> _workerStates = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource _workersRunning = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stopWatching = new();
    private DistributedApplication? _app;
    private FakeOpenAiServer? _llm;
    private int _disposed;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The AppHost has not started.");

    /// <summary>The ids of the worker replicas that reached Running.</summary>
    /// <summary>The worker replicas that were running when the boot completed (tests may kill workers later).</summary>
    public IReadOnlyCollection<string> WorkersAtBoot { get; private set; } = [];

    public IReadOnlyCollection<string> RunningWorkers =>
        [.. _workerStates.Where(worker => worker.Value == KnownResourceStates.Running).Select(worker => worker.Key)];

    public async ValueTask InitializeAsync()
    {
        using var boot = new CancellationTokenSource(TestTimeouts.Boot);
        _llm = await FakeOpenAiServer.StartAsync("llm-test-key", [.. Enumerable.Range(1, 20).Select(i => $"t{i} ")],
            chunkDelay: TimeSpan.FromMilliseconds(100)).ConfigureAwait(false);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.MeshFlow_AppHost>(
            [
                $"{AppHostSettings.DataDirectory}={_dataDirectory}",
                $"ConnectionStrings:llm=Provider=openai;Endpoint={_llm.Endpoint};Key=llm-test-key;Model={SlowModel}",
            ],
            boot.Token).ConfigureAwait(false);
        builder.CreateResourceBuilder<ProjectResource>("api")
            .WithEnvironment("MESHFLOW_API_KEYS", ApiKeys)
            .WithEnvironment("MESHFLOW_RATE_LIMIT", RateLimit.ToString(System.Globalization.CultureInfo.InvariantCulture));

        // A dead worker's runs are reclaimed after seconds rather than the production half-minute.
        builder.CreateResourceBuilder<ProjectResource>("worker")
            .WithEnvironment("MESHFLOW_CLAIM_IDLE_SECONDS", "3")
            .WithEnvironment("MESHFLOW_LEASE_SECONDS", "3");

        _app = await builder.BuildAsync(boot.Token).ConfigureAwait(false);
        var notifications = _app.Services.GetRequiredService<ResourceNotificationService>();
        _ = WatchWorkersAsync(notifications, _stopWatching.Token);

        try
        {
            await _app.StartAsync(boot.Token).ConfigureAwait(false);
            await notifications.WaitForResourceHealthyAsync("api", boot.Token).ConfigureAwait(false);
            await _workersRunning.Task.WaitAsync(boot.Token).ConfigureAwait(false);
            WorkersAtBoot = RunningWorkers;
        }
        catch (OperationCanceledException e)
        {
            var description = await DescribeAsync().ConfigureAwait(false);

            // xunit does not dispose a fixture whose initialization failed: stop the servers here.
            await DisposeAsync().ConfigureAwait(false);
            throw new TimeoutException($"The AppHost did not boot within {TestTimeouts.Boot.TotalSeconds:0} s.\n{description}", e);
        }
    }

    /// <summary>An HttpClient for the api's http endpoint, sending <paramref name="apiKey"/> as a bearer token when given.</summary>
    public HttpClient CreateApiClient(string? apiKey = null)
    {
        var client = App.CreateHttpClient("api", "http");
        client.Timeout = TestTimeouts.Default;
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        return client;
    }

    /// <summary>The connection string the app model hands out under <paramref name="name"/>.</summary>
    public async Task<string> GetConnectionStringAsync(string name)
    {
        var connectionString = await App.GetConnectionStringAsync(name).AsTask().WaitAsync(TestTimeouts.Default).ConfigureAwait(false);
        return connectionString ?? throw new InvalidOperationException($"The app model has no connection string '{name}'.");
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopWatching.CancelAsync().ConfigureAwait(false);
        string[] folders = [_dataDirectory];
        try
        {
            if (_app is not null)
            {
                // The local Postgres puts its socket in a short temp folder of its own, outside the data folder.
                folders = [.. folders, .. _app.Services.GetRequiredService<DistributedApplicationModel>().Resources
                    .OfType<LocalPostgresServerResource>()
                    .Select(server => server.SocketDirectory)];
                await _app.StopAsync().WaitAsync(TestTimeouts.Default).ConfigureAwait(false);
                await _app.DisposeAsync().ConfigureAwait(false);
            }
        }
        finally
        {
            _stopWatching.Dispose();
            if (_llm is not null)
            {
                await _llm.DisposeAsync().ConfigureAwait(false);
            }

            foreach (var folder in folders)
            {
                DeleteFolder(folder);
            }
        }
    }

    private async Task WatchWorkersAsync(ResourceNotificationService notifications, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var update in notifications.WatchAsync(cancellationToken).ConfigureAwait(false))
            {
                if (update.Resource.Name != "worker" || update.Snapshot.State?.Text is not { } state)
                {
                    continue;
                }

                _workerStates[update.ResourceId] = state;
                if (RunningWorkers.Count >= WorkerReplicas)
                {
                    _workersRunning.TrySetResult();
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The fixture is being disposed.
        }
    }

    /// <summary>Resource states and log tails, so a boot failure on CI says why.</summary>
    private async Task<string> DescribeAsync()
    {
        var description = new StringBuilder();
        var notifications = App.Services.GetRequiredService<ResourceNotificationService>();
        var logs = App.Services.GetRequiredService<ResourceLoggerService>();
        var model = App.Services.GetRequiredService<DistributedApplicationModel>();
        foreach (var resource in model.Resources)
        {
            var state = notifications.TryGetCurrentState(resource.Name, out var current)
                ? $"{current.Snapshot.State?.Text} health={current.Snapshot.HealthStatus}"
                : "(no state)";
            description.AppendLine($"{resource.Name}: {state}");
        }

        foreach (var resource in model.Resources.Where(resource => DiagnosedResources.Contains(resource.Name)))
        {
            description.AppendLine($"--- {resource.Name} log (tail) ---");
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            var lines = new List<string>();
            try
            {
                await foreach (var batch in logs.GetAllAsync(resource).WithCancellation(timeout.Token).ConfigureAwait(false))
                {
                    lines.AddRange(batch.Select(line => line.Content));
                }
            }
            catch (OperationCanceledException)
            {
                lines.Add("(log read timed out)");
            }

            foreach (var line in lines.TakeLast(25))
            {
                description.AppendLine(line);
            }
        }

        return description.ToString();
    }

    private static void DeleteFolder(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // A temp folder; leaving it behind is harmless.
        }
    }
}
