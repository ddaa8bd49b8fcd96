using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MeshFlow.LocalServers;
using Npgsql;

namespace MeshFlow.Testing.Postgres;

/// <summary>
/// A real, throwaway PostgreSQL server: a fresh data directory under the temp folder, listening only on
/// 127.0.0.1 on a free port, durable (fsync and synchronous_commit on). Disposing stops it and deletes its files.
/// </summary>
/// <remarks>
/// Binaries: the folder <c>MESHFLOW_POSTGRES_BIN</c> names if it is set, else the highest
/// <c>/usr/lib/postgresql/&lt;version&gt;/bin</c>, <c>initdb</c>'s folder on <c>PATH</c> or <c>pg_config --bindir</c>
/// (the AppHost's search, <see cref="PostgresToolchain.Locate"/>). As root the tools run as the <c>postgres</c> user
/// through <c>runuser</c>.
/// Timeouts are multiplied by <c>MESHFLOW_TEST_TIMEOUT_SCALE</c> when it is set.
/// </remarks>
public sealed class PostgresServer : IAsyncDisposable
{
    private const string SuperUser = "postgres";
    private const string AdminDatabase = "postgres";
    private const string ConfigFileName = "meshflow.conf";
    private const string LogFileName = "server.log";
    private const int MaxPortAttempts = 4;
    private const int MaxDatabaseNameLength = 63;

    // sun_path holds 107 characters; the socket file name ".s.PGSQL.<port>" needs up to 15 plus a separator.
    private const int MaxSocketDirectoryLength = 107 - 16;

    private static readonly TimeSpan InitdbTimeout = Scaled(TimeSpan.FromSeconds(120));
    private static readonly TimeSpan StartTimeout = Scaled(TimeSpan.FromSeconds(60));
    private static readonly TimeSpan StopTimeout = Scaled(TimeSpan.FromSeconds(30));
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(100);

    private readonly PostgresToolchain _toolchain;
    private readonly string _rootDirectory;
    private readonly ConcurrentDictionary<string, byte> _handedOut = new(StringComparer.Ordinal);
    private int _disposed;

    private PostgresServer(PostgresToolchain toolchain, string rootDirectory)
    {
        _toolchain = toolchain;
        _rootDirectory = rootDirectory;
        DataDirectory = Path.Combine(rootDirectory, "data");
        LogFile = Path.Combine(DataDirectory, LogFileName);
    }

    /// <summary>Connection string to the <c>postgres</c> database as the superuser <c>postgres</c> (no password).</summary>
    public string ConnectionString => Remember(BuildConnectionString(AdminDatabase));

    /// <summary>The TCP port the server listens on, on 127.0.0.1 only.</summary>
    public int Port { get; private set; }

    /// <summary>The server's data directory (deleted, with its parent, on dispose).</summary>
    public string DataDirectory { get; }

    /// <summary>The server's log file, inside <see cref="DataDirectory"/>.</summary>
    public string LogFile { get; }

    /// <summary>The folder the PostgreSQL binaries were taken from.</summary>
    public string BinDirectory => _toolchain.BinDirectory;

    /// <summary>Creates a data directory, starts a server on a free port and waits until it answers <c>SELECT 1</c>.</summary>
    /// <exception cref="PostgresNotAvailableException">The binaries (or, as root, runuser or the postgres user) are missing.</exception>
    /// <exception cref="TimeoutException">The server did not become ready in time; the message carries the server log tail.</exception>
    public static async Task<PostgresServer> StartAsync(CancellationToken ct = default)
    {
        var toolchain = PostgresToolchain.Locate(
                Environment.GetEnvironmentVariable(LocalServerSettings.PostgresBin),
                LocalServerSettings.PostgresBin,
                out var missing)
            ?? throw new PostgresNotAvailableException(missing!.ToString());
        var rootDirectory = Path.Combine(TempRoot(toolchain), "meshflow-pg-" + Guid.NewGuid().ToString("N"));
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(rootDirectory);
        }
        else
        {
            Directory.CreateDirectory(rootDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var server = new PostgresServer(toolchain, rootDirectory);
        try
        {
            await server.PrepareRootDirectoryAsync(ct).ConfigureAwait(false);
            await server.InitializeDataDirectoryAsync(ct).ConfigureAwait(false);
            await server.StartOnFreePortAsync(ct).ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Creates an empty database and returns a connection string to it.</summary>
    /// <param name="name">A plain identifier: letters, digits and underscores, not starting with a digit, at most 63 characters.</param>
    /// <param name="ct">Cancels the statement.</param>
    public async Task<string> CreateDatabaseAsync(string name, CancellationToken ct = default)
    {
        ValidateDatabaseName(name);
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

        var connection = new NpgsqlConnection(ConnectionString);
        await using (connection.ConfigureAwait(false))
        {
            await connection.OpenAsync(ct).ConfigureAwait(false);
            var command = new NpgsqlCommand("CREATE DATABASE \"" + name + "\"", connection);
            await using (command.ConfigureAwait(false))
            {
                await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }
        }

        return Remember(BuildConnectionString(name));
    }

    /// <summary>
    /// Stops the server and starts it again on the same port and data directory. With <paramref name="immediate"/>
    /// the stop skips the shutdown checkpoint, like a crash, so the restart goes through WAL recovery.
    /// Open connections are broken; pooled connections for the handed-out connection strings are cleared.
    /// </summary>
    public async Task RestartAsync(bool immediate = false, CancellationToken ct = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        ClearPools();
        await StopAsync(immediate ? "immediate" : "fast").ConfigureAwait(false);
        var failure = await TryStartAsync(ct).ConfigureAwait(false);
        if (failure is not null)
        {
            throw new InvalidOperationException($"PostgreSQL did not restart on port {Port}: {failure}");
        }
    }

    /// <summary>Stops the server (<c>pg_ctl stop -m fast</c>, else kills it) and deletes its files. Safe to call twice.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        ClearPools();
        try
        {
            await StopAsync("fast").ConfigureAwait(false);
        }
        finally
        {
            await DeleteRootDirectoryAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The last lines of the server log, for error messages.</summary>
    public string ReadLogTail(int lines = 40)
    {
        try
        {
            using var stream = new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            const int MaxBytes = 16 * 1024;
            stream.Seek(Math.Max(0, stream.Length - MaxBytes), SeekOrigin.Begin);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            var all = reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            return string.Join('\n', all.TakeLast(lines));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"(no server log at {LogFile}: {e.Message})";
        }
    }

    private static TimeSpan Scaled(TimeSpan timeout) =>
        int.TryParse(Environment.GetEnvironmentVariable("MESHFLOW_TEST_TIMEOUT_SCALE"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var scale) && scale > 1
            ? timeout * scale
            : timeout;

    private static string TempRoot(PostgresToolchain toolchain) =>
        // As root, the postgres user must be able to reach the folder: /tmp always is; a root-only TMPDIR may not be.
        toolchain.RunsAsServiceUser && Directory.Exists("/tmp") ? "/tmp" : Path.GetTempPath();

    private static int FindFreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
        finally
        {
            listener.Stop();
        }
    }

    private static void ValidateDatabaseName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var valid = name.Length <= MaxDatabaseNameLength
            && (char.IsAsciiLetter(name[0]) || name[0] == '_')
            && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
        if (!valid)
        {
            throw new ArgumentException(
                $"'{name}' is not a plain database name: use letters, digits and underscores, not starting with a digit, at most {MaxDatabaseNameLength} characters.",
                nameof(name));
        }
    }

    private static string QuoteConfigString(string value) => "'" + value.Replace("'", "''", StringComparison.Ordinal) + "'";

    private string BuildConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = SuperUser,
        Database = database,
        Timeout = 15,
        IncludeErrorDetail = true,
    }.ConnectionString;

    private string Remember(string connectionString)
    {
        _handedOut.TryAdd(connectionString, 0);
        return connectionString;
    }

    private void ClearPools()
    {
        foreach (var connectionString in _handedOut.Keys)
        {
            using var connection = new NpgsqlConnection(connectionString);
            NpgsqlConnection.ClearPool(connection);
        }
    }

    private async Task PrepareRootDirectoryAsync(CancellationToken ct)
    {
        if (!_toolchain.RunsAsServiceUser)
        {
            return;
        }

        var result = await ProcessRunner.RunAsync("chown", [PostgresToolchain.ServiceUser, _rootDirectory], _rootDirectory, StopTimeout, ct)
            .ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"Could not hand {_rootDirectory} to the '{PostgresToolchain.ServiceUser}' user (chown exit code {result.ExitCode}): {result.Output}");
        }
    }

    /// <summary>Runs a PostgreSQL tool (initdb, pg_ctl) as the user that may run it, in the server's root folder.</summary>
    private Task<ProcessResult> RunToolAsync(string tool, IReadOnlyList<string> arguments, TimeSpan timeout, CancellationToken ct)
    {
        var (command, commandArguments) = _toolchain.Command(tool, arguments);
        return ProcessRunner.RunAsync(command, commandArguments, _rootDirectory, timeout, ct);
    }

    private async Task InitializeDataDirectoryAsync(CancellationToken ct)
    {
        // --no-sync only skips initdb's final flush of the fresh cluster; the running server stays durable.
        string[] arguments = ["-D", DataDirectory, "-A", "trust", "-U", SuperUser, "-E", "UTF8", "--locale=C", "--no-sync"];
        var result = await RunToolAsync("initdb", arguments, InitdbTimeout, ct).ConfigureAwait(false);
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException(
                $"initdb failed (exit code {result.ExitCode}) for {DataDirectory} using {_toolchain.BinDirectory}:\n{result.Output}");
        }

        await File.AppendAllTextAsync(
            Path.Combine(DataDirectory, "postgresql.conf"),
            $"\n# Test settings (port, listen address, ...), rewritten on every start attempt.\ninclude = '{ConfigFileName}'\n",
            ct).ConfigureAwait(false);
    }

    private async Task StartOnFreePortAsync(CancellationToken ct)
    {
        var failures = new List<string>();
        for (var attempt = 1; attempt <= MaxPortAttempts; attempt++)
        {
            Port = FindFreePort();
            var logStart = LogLength();
            var failure = await TryStartAsync(ct).ConfigureAwait(false);
            if (failure is null)
            {
                return;
            }

            failures.Add($"port {Port}: {failure}");
            var newLog = ReadLogFrom(logStart);
            var portTaken = newLog.Contains("could not bind", StringComparison.OrdinalIgnoreCase)
                || newLog.Contains("Address already in use", StringComparison.OrdinalIgnoreCase);
            if (!portTaken)
            {
                break;
            }
        }

        throw new InvalidOperationException(
            $"PostgreSQL ({_toolchain.BinDirectory}) did not start:\n{string.Join('\n', failures)}\nServer log ({LogFile}), last lines:\n{ReadLogTail()}");
    }

    /// <summary>Starts the server on <see cref="Port"/> and waits for <c>SELECT 1</c>; returns null or why it failed.</summary>
    private async Task<string?> TryStartAsync(CancellationToken ct)
    {
        await WriteServerConfigAsync(ct).ConfigureAwait(false);

        var deadline = Stopwatch.StartNew();
        var timeoutSeconds = ((int)Math.Ceiling(StartTimeout.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        ProcessResult result;
        try
        {
            result = await RunToolAsync(
                "pg_ctl",
                ["start", "-D", DataDirectory, "-l", LogFile, "-w", "-t", timeoutSeconds],
                StartTimeout + TimeSpan.FromSeconds(10),
                ct).ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            await StopAsync("immediate").ConfigureAwait(false);
            return e.Message;
        }

        if (result.ExitCode != 0)
        {
            await StopAsync("immediate").ConfigureAwait(false);
            return $"pg_ctl start exited with code {result.ExitCode}: {result.Output.Trim()}";
        }

        var remaining = StartTimeout - deadline.Elapsed;
        var lastError = await WaitUntilReadyAsync(remaining > TimeSpan.FromSeconds(5) ? remaining : TimeSpan.FromSeconds(5), ct)
            .ConfigureAwait(false);
        if (lastError is null)
        {
            return null;
        }

        await StopAsync("immediate").ConfigureAwait(false);
        throw new TimeoutException(
            $"PostgreSQL started on 127.0.0.1:{Port} but did not answer SELECT 1 within {StartTimeout.TotalSeconds:0} s " +
            $"(last error: {lastError}).\nServer log ({LogFile}), last lines:\n{ReadLogTail()}");
    }

    private async Task WriteServerConfigAsync(CancellationToken ct)
    {
        var socketDirectory = _rootDirectory.Length <= MaxSocketDirectoryLength ? _rootDirectory : string.Empty;
        var config = $"""
            # Written by MeshFlow.Testing.Postgres.
            listen_addresses = '127.0.0.1'
            port = {Port}
            unix_socket_directories = {QuoteConfigString(socketDirectory)}
            max_connections = 200
            # Durable on purpose: benchmarks measure durable commits.
            fsync = on
            synchronous_commit = on
            full_page_writes = on
            logging_collector = off
            log_destination = 'stderr'
            """;
        await File.WriteAllTextAsync(Path.Combine(DataDirectory, ConfigFileName), config + "\n", ct).ConfigureAwait(false);
    }

    /// <summary>Polls <c>SELECT 1</c>; returns null once it succeeds, else the last error when time is up.</summary>
    private async Task<string?> WaitUntilReadyAsync(TimeSpan timeout, CancellationToken ct)
    {
        var probe = new NpgsqlConnectionStringBuilder(BuildConnectionString(AdminDatabase)) { Pooling = false, Timeout = 5 }.ConnectionString;
        var clock = Stopwatch.StartNew();
        var lastError = "none";
        while (true)
        {
            try
            {
                var connection = new NpgsqlConnection(probe);
                await using (connection.ConfigureAwait(false))
                {
                    await connection.OpenAsync(ct).ConfigureAwait(false);
                    var command = new NpgsqlCommand("SELECT 1", connection);
                    await using (command.ConfigureAwait(false))
                    {
                        await command.ExecuteScalarAsync(ct).ConfigureAwait(false);
                    }
                }

                return null;
            }
            catch (Exception e) when (e is NpgsqlException or SocketException or TimeoutException or IOException)
            {
                lastError = e.Message;
            }

            if (clock.Elapsed >= timeout)
            {
                return lastError;
            }

            await Task.Delay(ProbeInterval, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Stops the server if it runs: pg_ctl stop in the given mode, else kill the postmaster.</summary>
    private async Task StopAsync(string mode)
    {
        var pidFile = Path.Combine(DataDirectory, "postmaster.pid");
        if (!File.Exists(pidFile))
        {
            return;
        }

        var timeoutSeconds = ((int)Math.Ceiling(StopTimeout.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        try
        {
            var result = await RunToolAsync(
                "pg_ctl",
                ["stop", "-D", DataDirectory, "-m", mode, "-w", "-t", timeoutSeconds],
                StopTimeout + TimeSpan.FromSeconds(10),
                CancellationToken.None).ConfigureAwait(false);
            if (result.ExitCode == 0 || !File.Exists(pidFile))
            {
                return;
            }
        }
        catch (TimeoutException)
        {
            // Fall through to killing the postmaster.
        }

        await KillPostmasterAsync(pidFile).ConfigureAwait(false);
    }

    private static async Task KillPostmasterAsync(string pidFile)
    {
        int pid;
        try
        {
            var firstLine = File.ReadLines(pidFile).FirstOrDefault();
            if (!int.TryParse(firstLine, NumberStyles.Integer, CultureInfo.InvariantCulture, out pid))
            {
                return;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return;
        }

        try
        {
            using var postmaster = Process.GetProcessById(pid);
            if (!postmaster.ProcessName.StartsWith("postgres", StringComparison.Ordinal))
            {
                return; // The pid was reused by something else: the server is gone.
            }

            postmaster.Kill(entireProcessTree: true);
            using var timeout = new CancellationTokenSource(StopTimeout);
            await postmaster.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or OperationCanceledException or System.ComponentModel.Win32Exception)
        {
            // Already gone, or could not be killed: nothing more to do here.
        }
    }

    private async Task DeleteRootDirectoryAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                if (Directory.Exists(_rootDirectory))
                {
                    Directory.Delete(_rootDirectory, recursive: true);
                }

                return;
            }
            catch (Exception e) when ((e is IOException or UnauthorizedAccessException) && attempt < 10)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt)).ConfigureAwait(false);
            }
        }
    }

    private long LogLength()
    {
        try
        {
            return new FileInfo(LogFile).Exists ? new FileInfo(LogFile).Length : 0;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private string ReadLogFrom(long offset)
    {
        try
        {
            using var stream = new FileStream(LogFile, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            stream.Seek(Math.Min(offset, stream.Length), SeekOrigin.Begin);
            using var reader = new StreamReader(stream, Encoding.UTF8);
            return reader.ReadToEnd();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return string.Empty;
        }
    }
}
