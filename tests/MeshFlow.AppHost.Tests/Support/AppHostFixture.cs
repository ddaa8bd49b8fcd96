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
/// and the first-use path (initdb, database creation) runs every time. <see cref="OnDataDirectory"/> boots one on a
/// folder of the caller's instead, so a second AppHost can start where a stopped one left off.
/// </remarks>
public sealed class AppHostFixture : IAsyncLifetime
{
    /// <summary>
    /// Given to the AppHost as <c>MESHFLOW_API_KEYS</c>, which hands it on to the api in place of its development key: a key
    /// per tenant, a reviewer per approving tenant, and an admin key.
    /// </summary>
    public const string ApiKeys =
        "k-acme:acme,k-globex:globex,k-admin:default:admin,k-burst:burst," +
        "k-acme-review:acme:reviewer,k-globex-review:globex:reviewer,k-acme-hitl:acme";

    /// <summary>The api's rate limit per key per minute: low enough for a test to reach with <see cref="BurstKey"/>.</summary>
    public const int RateLimit = 120;

    /// <summary>A key of its own for the rate-limit test, so its 429s never reach other tests.</summary>
    public const string BurstKey = "k-burst";

    /// <summary>The model of the slow LLM: each of its steps streams 20 chunks, 100 ms apart.</summary>
    public const string SlowModel = "slow";

    public const string AcmeKey = "k-acme";
    public const string GlobexKey = "k-globex";
    public const string AdminKey = "k-admin";

    /// <summary>A user key of acme for the approval tests, whose polling must never reach other tests' rate limit.</summary>
    public const string AcmeApprovalsKey = "k-acme-hitl";

    /// <summary>A <c>reviewer</c> of acme: decides acme's paused runs.</summary>
    public const string AcmeReviewerKey = "k-acme-review";

    /// <summary>A <c>reviewer</c> of globex: may decide, but never sees acme's runs.</summary>
    public const string GlobexReviewerKey = "k-globex-review";

    /// <summary>
    /// Acme's approval-webhook signing secret (32 random bytes, generated once for these tests), handed to the AppHost as
    /// <c>MESHFLOW_WEBHOOK_SECRETS</c>; the tests verify signatures with it on their own.
    /// </summary>
    public const string AcmeWebhookSecret = "whsec_IlCTA1NcbfacsaNI3G287xsV/8vVyKqR0s3Kdqzl6NA=";

    private const int WorkerReplicaCount = 2;

    private static readonly string[] DiagnosedResources = ["postgres", "ledger", "redis", "api", "worker"];

    private readonly string _dataDirectory;
    private readonly bool _keepDataDirectory;
    private readonly CancellationTokenSource _stopWatching = new();
    private DistributedApplication? _app;
    private FakeOpenAiServer? _llm;
    private WorkerReplicas? _workers;
    private int _disposed;

    public AppHostFixture()
        : this(NewDataDirectory(), keepDataDirectory: false)
    {
    }

    private AppHostFixture(string dataDirectory, bool keepDataDirectory)
    {
        _dataDirectory = dataDirectory;
        _keepDataDirectory = keepDataDirectory;
    }

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The AppHost has not started.");

    /// <summary>The worker replicas that were running when the boot completed (tests may kill workers later).</summary>
    public IReadOnlyCollection<string> WorkersAtBoot { get; private set; } = [];

    /// <summary>The worker replicas now: which run, and killing and restarting them.</summary>
    public WorkerReplicas Workers => _workers ?? throw new InvalidOperationException("The AppHost has not started.");

    /// <summary>A fresh temp folder for an AppHost's servers.</summary>
    public static string NewDataDirectory() => Path.Combine(Path.GetTempPath(), "meshflow-apphost-tests-" + Guid.NewGuid().ToString("N")[..12]);

    /// <summary>
    /// An AppHost (not yet started) whose servers keep their data in <paramref name="dataDirectory"/>; disposing it stops
    /// them and deletes the folder unless <paramref name="keepDataDirectory"/>, so another AppHost can start on it.
    /// </summary>
    public static AppHostFixture OnDataDirectory(string dataDirectory, bool keepDataDirectory) => new(dataDirectory, keepDataDirectory);

    public async ValueTask InitializeAsync()
    {
        using var boot = new CancellationTokenSource(TestTimeouts.Boot);
        _llm = await FakeOpenAiServer.StartAsync("llm-test-key", [.. Enumerable.Range(1, 20).Select(i => $"t{i} ")],
            chunkDelay: TimeSpan.FromMilliseconds(100)).ConfigureAwait(false);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.MeshFlow_AppHost>(
            [
                $"{AppHostSettings.DataDirectory}={_dataDirectory}",
                $"MESHFLOW_API_KEYS={ApiKeys}",
                $"ConnectionStrings:llm=Provider=openai;Endpoint={_llm.Endpoint};Key=llm-test-key;Model={SlowModel};InputPrice=0;OutputPrice=0",

                // The AppHost hands these to the api and the workers; the tests' webhook receivers listen on loopback.
                $"MESHFLOW_WEBHOOK_SECRETS=acme={AcmeWebhookSecret}",
                "MESHFLOW_WEBHOOK_ALLOW_PRIVATE=true",
            ],
            boot.Token).ConfigureAwait(false);
        builder.CreateResourceBuilder<ProjectResource>("api")
            .WithEnvironment("MESHFLOW_RATE_LIMIT", RateLimit.ToString(System.Globalization.CultureInfo.InvariantCulture));

        // A dead worker's runs are reclaimed after seconds rather than the production half-minute.
        builder.CreateResourceBuilder<ProjectResource>("worker")
            .WithEnvironment("MESHFLOW_CLAIM_IDLE_SECONDS", "3")
            .WithEnvironment("MESHFLOW_LEASE_SECONDS", "3");

        _app = await builder.BuildAsync(boot.Token).ConfigureAwait(false);
        var notifications = _app.Services.GetRequiredService<ResourceNotificationService>();
        _workers = WorkerReplicas.Watch(_app, WorkerReplicaCount, _stopWatching.Token);

        try
        {
            await _app.StartAsync(boot.Token).ConfigureAwait(false);
            await notifications.WaitForResourceHealthyAsync("api", boot.Token).ConfigureAwait(false);
            await _workers.AllRunning.WaitAsync(boot.Token).ConfigureAwait(false);
            WorkersAtBoot = _workers.Running;
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
        string[] folders = _keepDataDirectory ? [] : [_dataDirectory];
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
