using System.Diagnostics;
using System.Globalization;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using MeshFlow.AppHost.Infrastructure;
using MeshFlow.AppHost.Infrastructure.Postgres;
using MeshFlow.LoadTest.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MeshFlow.LoadTest.Topology;

/// <summary>
/// The whole AppHost booted in this process, as tests/MeshFlow.AppHost.Tests/Support/AppHostFixture.cs boots it:
/// postgres and redis (local processes here), the api healthy, both worker replicas running. Its servers keep their
/// data in a fresh temp folder, so a developer's own AppHost data is never touched; disposing stops every process.
/// </summary>
internal sealed class LoadTopology : IAsyncDisposable
{
    public const string ApiKey = "k-load";

    private const int WorkerReplicas = 2;
    private static readonly TimeSpan BootTimeout = TimeSpan.FromMinutes(4);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromMinutes(1);

    private readonly string _dataDirectory;
    private readonly PacedLlmServer _llm;
    private readonly DistributedApplication _app;
    private readonly ServiceLogFile? _serviceLogs;

    private LoadTopology(string dataDirectory, PacedLlmServer llm, DistributedApplication app, ServiceLogFile? serviceLogs, LoadClient client, int apiPid,
        string redisConnectionString)
    {
        RedisConnectionString = redisConnectionString;
        _dataDirectory = dataDirectory;
        _llm = llm;
        _app = app;
        _serviceLogs = serviceLogs;
        Client = client;
        ApiPid = apiPid;
    }

    /// <summary>The client every measurement sends its load through.</summary>
    public LoadClient Client { get; }

    /// <summary>The connection string of the topology's Redis.</summary>
    public string RedisConnectionString { get; }

    /// <summary>The process id of the api (whose memory the SSE measurement reads).</summary>
    public int ApiPid { get; }

    public static async Task<LoadTopology> StartAsync(LoadTestOptions options, TextWriter log, CancellationToken cancellationToken)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), "meshflow-loadtest-" + Guid.NewGuid().ToString("N")[..12]);
        var llm = await PacedLlmServer.StartAsync();
        DistributedApplication? app = null;
        ServiceLogFile? serviceLogs = null;
        try
        {
            using var boot = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            boot.CancelAfter(BootTimeout);
            var clock = Stopwatch.StartNew();
            var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.MeshFlow_AppHost>(
                [
                    $"{AppHostSettings.DataDirectory}={dataDirectory}",
                    $"ConnectionStrings:llm=Provider=openai;Endpoint={llm.Endpoint};Key={PacedLlmServer.Key};Model={PacedLlmServer.Model("default", TimeSpan.Zero, 30)};InputPrice=0;OutputPrice=0",
                ],
                boot.Token);
            // The host's own log (health probes failing while services boot, DCP chatter, the services' output) would
            // bury the figures; --service-logs writes the services' output to a file instead.
            builder.Services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning)
                .AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.None)
                .AddFilter("Aspire", LogLevel.Warning)
                .AddFilter("Aspire.Hosting.Dcp", LogLevel.Error)
                .AddFilter("MeshFlow.AppHost", LogLevel.Warning)
                .AddFilter("MeshFlow.AppHost.Resources", LogLevel.None));
            builder.Services.AddSingleton<IHostLifetime, NoSignalLifetime>();
            if (!builder.Resources.Any(resource => resource.Name == "worker"))
            {
                // The AppHost fell back to the API in embedded mode; its topology entry says what is missing.
                var topology = builder.Resources.OfType<MeshFlow.AppHost.Infrastructure.Topology.TopologyResource>().FirstOrDefault();
                throw new TopologyUnavailableException(
                    $"the load test measures the distributed topology (Postgres, Redis, the api, two workers), and this machine cannot run it: {topology?.Message ?? "the AppHost made no workers"}");
            }

            var api = builder.CreateResourceBuilder<ProjectResource>("api")
                .WithEnvironment("MESHFLOW_API_KEYS", $"{ApiKey}:load")
                .WithEnvironment("MESHFLOW_RATE_LIMIT", "0");
            var worker = builder.CreateResourceBuilder<ProjectResource>("worker");
            foreach (var project in builder.Resources.OfType<ProjectResource>().ToList())
            {
                builder.CreateResourceBuilder(project).WithEnvironment(GeneratorSockets.InlineCompletions, GeneratorSockets.Inherited ?? string.Empty);
            }

            foreach (var (service, name, value) in options.ServiceEnvironment)
            {
                if (service is null or "api")
                {
                    api.WithEnvironment(name, value);
                }

                if (service is null or "worker")
                {
                    worker.WithEnvironment(name, value);
                }
            }

            app = await builder.BuildAsync(boot.Token);
            var notifications = app.Services.GetRequiredService<ResourceNotificationService>();
            if (options.ServiceLogs is { } path)
            {
                serviceLogs = ServiceLogFile.Start(path, notifications, app.Services.GetRequiredService<ResourceLoggerService>());
            }

            var workers = WaitForWorkersAsync(notifications, boot.Token);
            await app.StartAsync(boot.Token);
            await notifications.WaitForResourceHealthyAsync("api", boot.Token);
            await workers;

            var apiPid = FindApi();
            var address = options.ViaProxy ? app.GetEndpoint("api", "http") : DirectAddress(apiPid);
            log.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"topology up in {clock.Elapsed.TotalSeconds:F1} s: api pid {apiPid} at {address} ({(options.ViaProxy ? "through DCP's proxy" : "its own port, not DCP's proxy")}), " +
                $"{WorkerReplicas} workers, data in {dataDirectory}"));
            var redis = await app.GetConnectionStringAsync("redis", boot.Token)
                ?? throw new InvalidOperationException("the topology's redis has no connection string");
            return new LoadTopology(dataDirectory, llm, app, serviceLogs, new LoadClient(address, ApiKey), apiPid, redis);
        }
        catch
        {
            await StopAsync(app, llm, dataDirectory);
            if (serviceLogs is not null)
            {
                await serviceLogs.DisposeAsync();
            }

            throw;
        }
    }

    /// <summary>Stops the topology and names any process of it still alive afterwards.</summary>
    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await StopAsync(_app, _llm, _dataDirectory);
        if (_serviceLogs is not null)
        {
            await _serviceLogs.DisposeAsync();
        }
    }

    /// <summary>The processes this load test started that are still alive (none, once disposed).</summary>
    public static IReadOnlyList<ProcessInfo> Leftovers() =>
        [.. ProcessTree.Topology().Where(p => p.Pid != Environment.ProcessId)];

    private static async Task StopAsync(DistributedApplication? app, PacedLlmServer llm, string dataDirectory)
    {
        string[] folders = [dataDirectory];
        try
        {
            if (app is not null)
            {
                // The local Postgres puts its socket in a short temp folder of its own, outside the data folder.
                folders = [.. folders, .. app.Services.GetRequiredService<DistributedApplicationModel>().Resources
                    .OfType<LocalPostgresServerResource>().Select(server => server.SocketDirectory)];
                await app.StopAsync().WaitAsync(StopTimeout);
                await app.DisposeAsync();
            }
        }
        finally
        {
            await llm.DisposeAsync();
            foreach (var folder in folders)
            {
                TryDelete(folder);
            }
        }
    }

    private static async Task WaitForWorkersAsync(ResourceNotificationService notifications, CancellationToken cancellationToken)
    {
        var running = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var update in notifications.WatchAsync(cancellationToken))
        {
            if (update.Resource.Name == "worker" && update.Snapshot.State?.Text == KnownResourceStates.Running)
            {
                running.Add(update.ResourceId);
                if (running.Count >= WorkerReplicas)
                {
                    return;
                }
            }
        }
    }

    // The address the api itself listens on (its ASPNETCORE_URLS, which DCP fills in when it starts it): Aspire's
    // endpoint for the api is DCP's proxy in front of it, a hop a deployed api does not have.
    private static Uri DirectAddress(int apiPid)
    {
        var environment = File.ReadAllText($"/proc/{apiPid}/environ").Split('\0');
        var urls = environment.FirstOrDefault(e => e.StartsWith("ASPNETCORE_URLS=", StringComparison.Ordinal))?["ASPNETCORE_URLS=".Length..]
            ?? throw new InvalidOperationException($"the api process {apiPid} has no ASPNETCORE_URLS");
        var http = new Uri(urls.Split(';').First(u => u.StartsWith("http://", StringComparison.Ordinal)));
        return new Uri($"http://127.0.0.1:{http.Port}");
    }

    // The api process itself, not a `dotnet run` or shell in front of it.
    private static int FindApi()
    {
        var candidates = ProcessTree.Topology().Where(p => p.Role == "api").ToList();
        var api = candidates.FirstOrDefault(p => p.Name.StartsWith("MeshFlow.Api", StringComparison.Ordinal))
            ?? candidates.FirstOrDefault(p => p.CommandLine.Contains("MeshFlow.Api.dll", StringComparison.Ordinal) && !p.CommandLine.Contains(" run ", StringComparison.Ordinal));
        return api?.Pid ?? throw new InvalidOperationException(
            "the api process was not found below this process: " + string.Join("; ", candidates.Select(c => $"{c.Pid} {c.Name} {c.CommandLine}")));
    }

    private static void TryDelete(string folder)
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
