using System.Diagnostics;
using System.Text.Json;
using MeshFlow.AppHost.Tests.Support;

namespace MeshFlow.AppHost.Tests;

/// <summary>The manifest azd consumes (<c>--publisher manifest</c>), produced the way azd produces it.</summary>
public sealed class PublishManifestTests
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    [Fact]
    public async Task Publish_manifest_describes_postgres_and_redis_as_containers_even_without_a_container_runtime()
    {
        var output = Directory.CreateTempSubdirectory("meshflow-manifest-");
        try
        {
            var manifestPath = Path.Combine(output.FullName, "manifest.json");

            // Settings that would make run mode local or embedded: publishing ignores them.
            var result = await RunAppHostAsync(
                ["--publisher", "manifest", "--output-path", manifestPath],
                new Dictionary<string, string>
                {
                    ["MESHFLOW_CONTAINERS"] = "false",
                    ["MESHFLOW_REDIS_SERVER"] = "/nonexistent/bin/redis-server",
                    ["MESHFLOW_APPHOST_DATA_DIR"] = Path.Combine(output.FullName, "data"),
                });
            Assert.True(result.ExitCode == 0, $"The AppHost exited with {result.ExitCode}:\n{result.Output}");

            using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(manifestPath, TestContext.Current.CancellationToken));
            var resources = manifest.RootElement.GetProperty("resources");
            Assert.Equal("container.v0", Type(resources, "postgres"));
            Assert.StartsWith("docker.io/library/postgres:", resources.GetProperty("postgres").GetProperty("image").GetString(), StringComparison.Ordinal);
            Assert.Equal("container.v0", Type(resources, "redis"));
            Assert.StartsWith("docker.io/library/redis:", resources.GetProperty("redis").GetProperty("image").GetString(), StringComparison.Ordinal);
            Assert.Equal("{postgres.connectionString};Database=ledger", resources.GetProperty("ledger").GetProperty("connectionString").GetString());
            foreach (var service in new[] { "api", "worker", "dashboard" })
            {
                Assert.Equal("project.v0", Type(resources, service));
            }

            foreach (var service in new[] { "api", "worker" })
            {
                var environment = resources.GetProperty(service).GetProperty("env");
                Assert.Equal("{ledger.connectionString}", environment.GetProperty("ConnectionStrings__ledger").GetString());
                Assert.Equal("{redis.connectionString}", environment.GetProperty("ConnectionStrings__redis").GetString());
            }

            Assert.False(resources.TryGetProperty("topology", out _), "the topology resource is a run-mode dashboard entry");

            // A deployment's keys are its own: no development key, and no parameter for one, reaches the manifest.
            Assert.False(resources.GetProperty("api").GetProperty("env").TryGetProperty("MESHFLOW_API_KEYS", out _));
            Assert.False(resources.TryGetProperty("meshflow-api-keys", out _));
            Assert.False(resources.GetProperty("dashboard").GetProperty("env").TryGetProperty("MESHFLOW_DASHBOARD_API_KEY", out _));
            Assert.False(resources.TryGetProperty("meshflow-dashboard-api-key", out _));
            Assert.False(Directory.Exists(Path.Combine(output.FullName, "data")), "publishing makes no key file");
        }
        finally
        {
            output.Delete(recursive: true);
        }
    }

    private static string? Type(JsonElement resources, string name) =>
        resources.TryGetProperty(name, out var resource) ? resource.GetProperty("type").GetString() : $"(no resource '{name}')";

    private static async Task<(int ExitCode, string Output)> RunAppHostAsync(IEnumerable<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        var project = Projects.MeshFlow_AppHost.ProjectPath;
        var startInfo = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(project)!,
        };
        foreach (var argument in (string[])["run", "--project", project, "-c", Configuration, "--no-build", "--no-launch-profile", "--"])
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            startInfo.Environment[name] = value;
        }

        using var process = Process.Start(startInfo)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        try
        {
            await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TestTimeouts.Boot, TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return (process.ExitCode, await stdout + await stderr);
    }
}
