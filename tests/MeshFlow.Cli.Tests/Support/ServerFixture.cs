using System.Net.Http.Json;
using System.Text.Json;

namespace MeshFlow.Cli.Tests.Support;

/// <summary>
/// An embedded server started by the tests: <c>meshflow serve --port 0 --api-key ...</c> with its own data folder,
/// shared by the test classes of <see cref="SharedServer"/>; each test makes its own runs.
/// </summary>
public sealed class ServerFixture : IAsyncLifetime
{
    private readonly TempDirectory _data = new();
    private CliProcess? _serve;

    /// <summary>The server's only key (admin of the default tenant).</summary>
    public string ApiKey { get; } = "cli-tests-" + Guid.NewGuid().ToString("N");

    public string Url => _serve?.Url ?? throw new InvalidOperationException("the server has not started");

    public string DataDirectory => _data.Path;

    /// <summary>The environment that points a CLI process at this server with its key.</summary>
    public IReadOnlyDictionary<string, string?> Environment => new Dictionary<string, string?> { ["MESHFLOW_URL"] = Url, ["MESHFLOW_API_KEY"] = ApiKey };

    public async ValueTask InitializeAsync()
    {
        _serve = await CliProcess.ServeAsync(["--port", "0", "--data-dir", _data.Path, "--api-key", ApiKey]);
        using var http = new HttpClient { BaseAddress = new Uri(Url), Timeout = TestTimeouts.Default };
        using var health = await http.GetFromJsonAsync<JsonDocument>("/health");
        if (health?.RootElement.GetProperty("ok").GetBoolean() != true)
        {
            throw new InvalidOperationException($"the server is not healthy: {health?.RootElement}\n{_serve}");
        }
    }

    /// <summary>Runs the CLI against this server.</summary>
    internal Task<CliResult> RunAsync(IEnumerable<string> args, string? workingDirectory = null, CancellationToken cancellationToken = default) =>
        MeshFlowCli.RunAsync(args, workingDirectory, Environment, cancellationToken: cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (_serve is not null)
        {
            await _serve.DisposeAsync();
        }

        _data.Dispose();
    }
}
