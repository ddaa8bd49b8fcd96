using MeshFlow.LocalServers;
using Microsoft.Extensions.Logging;

namespace MeshFlow.AppHost.Infrastructure.Postgres;

/// <summary>What happens around the server process: the data folder before it starts, a clean stop at the end.</summary>
public static class LocalPostgresSetup
{
    private static readonly TimeSpan InitdbTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan ToolTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Creates the server's folder (owned by the server's user), its password and socket folder, and runs initdb
    /// when the data folder has no cluster yet.
    /// </summary>
    public static async Task PrepareAsync(LocalPostgresServerResource server, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(logger);

        PrivateDirectory.Ensure(server.RootDirectory);
        PrivateDirectory.Ensure(server.SocketDirectory);

        // Throws when a cluster exists but its password file is gone.
        server.Password.ReadOrCreate();
        var initialized = File.Exists(Path.Combine(server.DataDirectory, "PG_VERSION"));
        if (server.Toolchain.RunsAsServiceUser)
        {
            await RunAsync(
                "chown",
                [PostgresToolchain.ServiceUser + ":", server.RootDirectory, server.Password.Path, server.SocketDirectory],
                ToolTimeout,
                cancellationToken).ConfigureAwait(false);
        }

        if (initialized)
        {
            InfrastructureLog.UsingDataDirectory(logger, server.DataDirectory);
            return;
        }

        if (Directory.Exists(server.DataDirectory))
        {
            // Left by an interrupted initdb: nothing in it is worth keeping, and initdb wants an empty folder.
            Directory.Delete(server.DataDirectory, recursive: true);
        }

        var (command, arguments) = server.Toolchain.Command(
            "initdb",
            [
                "-D", server.DataDirectory,
                "-U", LocalPostgresServerResource.UserName,
                "--pwfile=" + server.Password.Path,
                "-A", "scram-sha-256",
                "-E", "UTF8",
                "--locale=C",
            ]);
        var output = await RunAsync(command, arguments, InitdbTimeout, cancellationToken).ConfigureAwait(false);
        var initdbOutput = output.TrimEnd();
        InfrastructureLog.CreatedDataDirectory(logger, server.DataDirectory, initdbOutput);
    }

    /// <summary>
    /// Stops the server with a fast shutdown (sessions are ended, a checkpoint is written) if it runs. Without this,
    /// a stop signal reaches postgres as a smart shutdown that waits for clients, and runuser kills it after 2 s.
    /// </summary>
    public static async Task StopAsync(LocalPostgresServerResource server, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(logger);

        if (!File.Exists(Path.Combine(server.DataDirectory, "postmaster.pid")))
        {
            return;
        }

        var (command, arguments) = server.Toolchain.Command("pg_ctl", ["stop", "-D", server.DataDirectory, "-m", "fast", "-w", "-t", "20"]);
        try
        {
            var result = await ProcessRunner.RunAsync(command, arguments, ToolTimeout, cancellationToken).ConfigureAwait(false);
            var pgCtlOutput = result.Output.Trim();
            InfrastructureLog.Stopped(logger, result.ExitCode, pgCtlOutput);
        }
        catch (Exception e) when (e is TimeoutException or System.ComponentModel.Win32Exception or OperationCanceledException)
        {
            InfrastructureLog.StopFailed(logger, e, server.DataDirectory);
        }
    }

    private static async Task<string> RunAsync(string command, IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var result = await ProcessRunner.RunAsync(command, arguments, timeout, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            throw new DistributedApplicationException(
                $"'{ProcessRunner.Describe(command, arguments)}' failed with exit code {result.ExitCode}:\n{result.Output}");
        }

        return result.Output;
    }
}
