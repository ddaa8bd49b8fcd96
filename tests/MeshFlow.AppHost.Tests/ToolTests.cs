using System.ComponentModel;
using System.Diagnostics;
using System.Runtime.Versioning;
using MeshFlow.LocalServers;

namespace MeshFlow.AppHost.Tests;

/// <summary>
/// Running short-lived tools and finding server binaries (MeshFlow.LocalServers), which the AppHost's local servers
/// and the tests' throwaway ones share.
/// </summary>
public sealed class ToolTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("meshflow-tools-");

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task A_tool_s_exit_code_and_both_of_its_outputs_come_back()
    {
        var result = await ProcessRunner.RunAsync("/bin/sh", ["-c", "echo to-stdout; echo to-stderr >&2; exit 3"], TimeSpan.FromSeconds(30), Token);

        Assert.Equal(3, result.ExitCode);
        Assert.False(result.Succeeded);
        Assert.Contains("to-stdout", result.Output, StringComparison.Ordinal);
        Assert.Contains("to-stderr", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tool_that_outlives_its_timeout_is_killed_and_reported_with_its_output_so_far()
    {
        var pidFile = Path.Combine(_root.FullName, "pid");

        var error = await Assert.ThrowsAsync<TimeoutException>(() => ProcessRunner.RunAsync(
            "/bin/sh",
            ["-c", $"echo $$ > {pidFile}; echo started; exec sleep 60"],
            TimeSpan.FromSeconds(2),
            Token));

        Assert.StartsWith("'/bin/sh -c echo $$", error.Message, StringComparison.Ordinal);
        Assert.Contains("did not finish within 2 s", error.Message, StringComparison.Ordinal);
        Assert.Contains("started", error.Message, StringComparison.Ordinal);
        var pid = int.Parse(await File.ReadAllTextAsync(pidFile, Token), System.Globalization.CultureInfo.InvariantCulture);
        Assert.False(IsAlive(pid), $"the tool (pid {pid}) was left running");
    }

    [Fact]
    public async Task A_tool_that_does_not_exist_fails_to_start_and_a_probe_of_it_is_just_unsuccessful()
    {
        var missing = Path.Combine(_root.FullName, "no-such-tool");

        await Assert.ThrowsAsync<Win32Exception>(() => ProcessRunner.RunAsync(missing, [], TimeSpan.FromSeconds(5), Token));
        Assert.Null(ProcessRunner.TryRun(missing, [], TimeSpan.FromSeconds(5)));
    }

    [Fact]
    [UnsupportedOSPlatform("windows")] // No execute bits there: every file counts.
    public void Only_a_file_with_an_execute_bit_counts_as_an_executable_on_the_path()
    {
        var bin = _root.CreateSubdirectory("bin").FullName;
        var plain = Path.Combine(bin, "redis-server");
        File.WriteAllText(plain, "#!/bin/sh\n");
        File.SetUnixFileMode(plain, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        Assert.Null(RedisToolchain.Locate(null, LocalServerSettings.RedisServer, out var notExecutable, searchPath: bin));
        Assert.Equal("redis-server not found on PATH", notExecutable?.Problem);

        File.SetUnixFileMode(plain, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        Assert.Equal(plain, RedisToolchain.Locate(null, LocalServerSettings.RedisServer, out var none, searchPath: bin)?.ServerPath);
        Assert.Null(none);
    }

    [Fact]
    public void A_configured_redis_server_that_is_not_there_is_refused_rather_than_replaced_by_the_one_on_the_path()
    {
        var configured = Path.Combine(_root.FullName, "redis-server");

        Assert.Null(RedisToolchain.Locate(configured, LocalServerSettings.RedisServer, out var missing));

        Assert.Equal(
            $"redis-server not found at {configured} (MESHFLOW_REDIS_SERVER): apt-get install -y redis-server, or point MESHFLOW_REDIS_SERVER at the redis-server binary",
            missing?.ToString());
    }

    [Fact]
    public void As_root_the_postgres_tools_run_as_the_postgres_user_through_runuser()
    {
        var asRoot = new PostgresToolchain("/usr/lib/postgresql/15/bin", RunUser: "/usr/sbin/runuser");
        var asUser = asRoot with { RunUser = null };

        var (command, arguments) = asRoot.Command("pg_ctl", ["stop"]);
        Assert.Equal("/usr/sbin/runuser", command);
        Assert.Equal(["-u", "postgres", "--", "/usr/lib/postgresql/15/bin/pg_ctl", "stop"], arguments);
        Assert.Equal(["stop"], asUser.Command("pg_ctl", ["stop"]).Arguments);
        Assert.Equal("/usr/lib/postgresql/15/bin/pg_ctl", asUser.Command("pg_ctl", ["stop"]).Command);
    }

    public void Dispose() => _root.Delete(recursive: true);

    private static bool IsAlive(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
