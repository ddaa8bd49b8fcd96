using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MeshFlow.LocalServers;

namespace MeshFlow.Testing.Redis;

/// <summary>
/// A real, throwaway Redis server: <c>redis-server</c> listening only on 127.0.0.1 on a free port, with a fresh
/// working directory under the temp folder and no persistence (<c>--save "" --appendonly no</c>), so a restart
/// starts empty. Disposing shuts it down and deletes its directory; a test process that exits without disposing
/// still kills it.
/// </summary>
/// <remarks>
/// The binary is <see cref="RedisServerOptions.ServerPath"/>, else <c>MESHFLOW_REDIS_SERVER</c>, else
/// <c>redis-server</c> on <c>PATH</c>. Timeouts are multiplied by <c>MESHFLOW_TEST_TIMEOUT_SCALE</c> when it is set.
/// </remarks>
public sealed class RedisServer : IAsyncDisposable
{
    private const int MaxPortAttempts = 4;
    private const int MaxOutputLines = 200;

    private static readonly TimeSpan StartTimeout = Scaled(TimeSpan.FromSeconds(30));
    private static readonly TimeSpan StopTimeout = Scaled(TimeSpan.FromSeconds(10));
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(50);

    private readonly Queue<string> _output = new();
    private readonly EventHandler _onProcessExit;
    private Process? _process;
    private int _disposed;

    private RedisServer(string serverPath, string? password, string dataDirectory)
    {
        ServerPath = serverPath;
        Password = password;
        DataDirectory = dataDirectory;
        _onProcessExit = (_, _) => KillNow();
        AppDomain.CurrentDomain.ProcessExit += _onProcessExit;
    }

    /// <summary>The TCP port the server listens on, on 127.0.0.1 only; the same across restarts.</summary>
    public int Port { get; private set; }

    /// <summary>The password clients must give, or null.</summary>
    public string? Password { get; }

    /// <summary>The <c>redis-server</c> binary in use.</summary>
    public string ServerPath { get; }

    /// <summary>The server's working directory (deleted on dispose).</summary>
    public string DataDirectory { get; }

    /// <summary>The server process's id while it runs, else null.</summary>
    public int? ProcessId => _process is { HasExited: false } process ? process.Id : null;

    /// <summary>StackExchange.Redis configuration string for the server: <c>127.0.0.1:&lt;port&gt;</c>, with the password if any.</summary>
    public string ConnectionString =>
        "127.0.0.1:" + Port.ToString(CultureInfo.InvariantCulture) + (Password is null ? string.Empty : ",password=" + Password);

    /// <summary>Starts a server without password on a free port and waits until it answers <c>PING</c>.</summary>
    /// <exception cref="RedisNotAvailableException"><c>redis-server</c> was not found.</exception>
    public static Task<RedisServer> StartAsync(CancellationToken ct = default) => StartAsync(null, ct);

    /// <summary>Starts a server on a free port and waits until it answers <c>PING</c>.</summary>
    /// <exception cref="RedisNotAvailableException"><c>redis-server</c> was not found.</exception>
    /// <exception cref="InvalidOperationException">The server did not start; the message carries its output.</exception>
    public static async Task<RedisServer> StartAsync(RedisServerOptions? options, CancellationToken ct = default)
    {
        // An explicit path in the options comes first, then the environment's; a wrong one fails rather than falls back.
        var (configured, setting) = string.IsNullOrWhiteSpace(options?.ServerPath)
            ? (Environment.GetEnvironmentVariable(LocalServerSettings.RedisServer), LocalServerSettings.RedisServer)
            : (options.ServerPath, $"{nameof(RedisServerOptions)}.{nameof(RedisServerOptions.ServerPath)}");
        var serverPath = (RedisToolchain.Locate(configured, setting, out var missing)
            ?? throw new RedisNotAvailableException(missing!.ToString())).ServerPath;
        var dataDirectory = Path.Combine(Path.GetTempPath(), "meshflow-redis-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dataDirectory);
        var server = new RedisServer(serverPath, options?.Password, dataDirectory);
        try
        {
            var failures = new List<string>();
            for (var attempt = 1; attempt <= MaxPortAttempts; attempt++)
            {
                server.Port = FindFreePort();
                var failure = await server.TryStartAsync(ct).ConfigureAwait(false);
                if (failure is null)
                {
                    return server;
                }

                failures.Add($"port {server.Port}: {failure}");
                if (!failure.Contains("Address already in use", StringComparison.OrdinalIgnoreCase))
                {
                    break;
                }
            }

            throw new InvalidOperationException($"{serverPath} did not start:\n{string.Join("\n", failures)}");
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Stops the server hard (SIGKILL), as a crash would. <see cref="RestartAsync"/> starts it again.</summary>
    public async Task KillAsync()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        await KillProcessAsync().ConfigureAwait(false);
    }

    /// <summary>Kills the server if it runs, then starts it again on the same port, empty, and waits until it answers <c>PING</c>.</summary>
    /// <exception cref="InvalidOperationException">It did not start again; the message carries its output.</exception>
    public async Task RestartAsync(CancellationToken ct = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        await KillProcessAsync().ConfigureAwait(false);
        var failure = await TryStartAsync(ct).ConfigureAwait(false);
        if (failure is not null)
        {
            throw new InvalidOperationException($"{ServerPath} did not restart on port {Port}: {failure}");
        }
    }

    /// <summary>The last lines the server wrote, for error messages.</summary>
    public string ReadOutputTail()
    {
        lock (_output)
        {
            return string.Join('\n', _output);
        }
    }

    /// <summary>Shuts the server down (<c>SHUTDOWN NOSAVE</c>, else kills it) and deletes its directory. Safe to call twice.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit -= _onProcessExit;
        try
        {
            await ShutdownAsync().ConfigureAwait(false);
        }
        finally
        {
            DeleteDataDirectory();
        }
    }

    private static TimeSpan Scaled(TimeSpan timeout) =>
        int.TryParse(Environment.GetEnvironmentVariable("MESHFLOW_TEST_TIMEOUT_SCALE"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var scale) && scale > 1
            ? timeout * scale
            : timeout;

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

    private static byte[] Command(params string[] parts)
    {
        var command = new StringBuilder().Append('*').Append(parts.Length).Append("\r\n");
        foreach (var part in parts)
        {
            command.Append('$').Append(Encoding.UTF8.GetByteCount(part)).Append("\r\n").Append(part).Append("\r\n");
        }

        return Encoding.UTF8.GetBytes(command.ToString());
    }

    /// <summary>Starts the process on <see cref="Port"/>; null once it answers PING, else why not.</summary>
    private async Task<string?> TryStartAsync(CancellationToken ct)
    {
        var startInfo = new ProcessStartInfo(ServerPath)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = DataDirectory,
        };
        string[] arguments =
        [
            "--port", Port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--dir", DataDirectory,
            "--save", string.Empty, "--appendonly", "no", "--daemonize", "no", "--logfile", string.Empty,
        ];
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        if (Password is not null)
        {
            startInfo.ArgumentList.Add("--requirepass");
            startInfo.ArgumentList.Add(Password);
        }

        lock (_output)
        {
            _output.Clear();
        }

        var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => Remember(e.Data);
        process.ErrorDataReceived += (_, e) => Remember(e.Data);
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            process.Dispose();
            throw new RedisNotAvailableException($"redis-server not found: {ServerPath} could not be started ({e.Message}); {RedisToolchain.InstallCommand}.", e);
        }

        _process = process;
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var clock = Stopwatch.StartNew();
        while (true)
        {
            ct.ThrowIfCancellationRequested();
            if (process.HasExited)
            {
                // Let the output readers catch up with the last lines.
                await process.WaitForExitAsync(ct).ConfigureAwait(false);
                return $"exited with code {process.ExitCode}:\n{ReadOutputTail()}";
            }

            if (await TryCommandAsync(Command("PING"), "+PONG", ct).ConfigureAwait(false))
            {
                return null;
            }

            if (clock.Elapsed > StartTimeout)
            {
                await KillProcessAsync().ConfigureAwait(false);
                return $"did not answer PING within {StartTimeout.TotalSeconds:0} s:\n{ReadOutputTail()}";
            }

            await Task.Delay(ProbeInterval, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Sends one command (after AUTH when there is a password); true when the reply starts as expected.</summary>
    private async Task<bool> TryCommandAsync(byte[] command, string expected, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(ProbeTimeout);
        try
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, Port, timeout.Token).ConfigureAwait(false);
            var stream = client.GetStream();
            if (Password is not null)
            {
                await stream.WriteAsync(Command("AUTH", Password), timeout.Token).ConfigureAwait(false);
                if (!(await ReadLineAsync(stream, timeout.Token).ConfigureAwait(false)).StartsWith("+OK", StringComparison.Ordinal))
                {
                    return false;
                }
            }

            await stream.WriteAsync(command, timeout.Token).ConfigureAwait(false);
            return (await ReadLineAsync(stream, timeout.Token).ConfigureAwait(false)).StartsWith(expected, StringComparison.Ordinal);
        }
        catch (Exception e) when (e is SocketException or IOException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            return false;
        }
    }

    private static async Task<string> ReadLineAsync(NetworkStream stream, CancellationToken ct)
    {
        var line = new StringBuilder();
        var buffer = new byte[1];
        while (await stream.ReadAsync(buffer, ct).ConfigureAwait(false) == 1)
        {
            if (buffer[0] == '\n')
            {
                break;
            }

            line.Append((char)buffer[0]);
        }

        return line.ToString();
    }

    private async Task ShutdownAsync()
    {
        if (_process is not { HasExited: false } process)
        {
            return;
        }

        // The server closes the connection instead of answering SHUTDOWN; the exit is what counts.
        await TryCommandAsync(Command("SHUTDOWN", "NOSAVE"), "+OK", CancellationToken.None).ConfigureAwait(false);
        using var timeout = new CancellationTokenSource(StopTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Still running: kill it below.
        }

        await KillProcessAsync().ConfigureAwait(false);
    }

    private async Task KillProcessAsync()
    {
        var process = Interlocked.Exchange(ref _process, null);
        if (process is null)
        {
            return;
        }

        using (process)
        {
            KillNow(process);
            using var timeout = new CancellationTokenSource(StopTimeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Could not be reaped in time; nothing more to do.
            }
        }
    }

    private void KillNow() => KillNow(_process);

    private static void KillNow(Process? process)
    {
        try
        {
            if (process is { HasExited: false })
            {
                process.Kill(entireProcessTree: true);
            }
        }
        catch (Exception e) when (e is InvalidOperationException or Win32Exception)
        {
            // Already gone.
        }
    }

    private void Remember(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Enqueue(line);
            while (_output.Count > MaxOutputLines)
            {
                _output.Dequeue();
            }
        }
    }

    private void DeleteDataDirectory()
    {
        try
        {
            if (Directory.Exists(DataDirectory))
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Best effort: a leftover empty temp folder harms nothing.
        }
    }
}
