using System.Diagnostics;
using System.Text;

namespace MeshFlow.Cli.Tests.Support;

/// <summary>A running <c>meshflow serve</c>: where it listens, what it printed, and a clean or a hard stop.</summary>
internal sealed class ServeProcess : IAsyncDisposable
{
    private const string ListeningPrefix = "MeshFlow API listening on ";

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();
    private readonly TaskCompletionSource<string> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _outputClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _errorClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServeProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                _outputClosed.TrySetResult();
                return;
            }

            lock (_output)
            {
                _output.AppendLine(e.Data);
            }

            if (e.Data.StartsWith(ListeningPrefix, StringComparison.Ordinal))
            {
                _listening.TrySetResult(e.Data[ListeningPrefix.Length..].Trim());
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                _errorClosed.TrySetResult();
                return;
            }

            lock (_error)
            {
                _error.AppendLine(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>The first address it listens on (<c>http://127.0.0.1:port</c>).</summary>
    public string Url { get; private set; } = "";

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public string Error
    {
        get
        {
            lock (_error)
            {
                return _error.ToString();
            }
        }
    }

    public int ProcessId => _process.Id;

    /// <summary>Starts <c>meshflow serve</c> with <paramref name="args"/> and waits until it says where it listens.</summary>
    public static async Task<ServeProcess> StartAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment = null,
        bool interruptible = false, CancellationToken cancellationToken = default)
    {
        string[] command = ["serve", .. args];
        var serve = new ServeProcess(interruptible ? MeshFlowCli.StartInterruptible(command, environment: environment) : MeshFlowCli.Start(command, environment: environment));
        var exited = serve._process.WaitForExitAsync(cancellationToken);
        var listening = serve._listening.Task;
        try
        {
            var first = await Task.WhenAny(listening, exited).WaitAsync(TestTimeouts.Default, cancellationToken);
            if (first != listening)
            {
                await serve.DrainAsync();
                throw new InvalidOperationException($"meshflow serve exited ({serve._process.ExitCode}) before listening\n{serve}");
            }
        }
        catch (TimeoutException)
        {
            await serve.DisposeAsync();
            throw new TimeoutException($"meshflow serve did not listen within {TestTimeouts.Default}\n{serve}");
        }

        serve.Url = await listening;
        return serve;
    }

    /// <summary>Sends SIGINT (Ctrl+C) and waits for the process to exit; its exit code.</summary>
    public async Task<int> InterruptAsync(CancellationToken cancellationToken)
    {
        using (var kill = Process.Start("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(cancellationToken).WaitAsync(TestTimeouts.Default, cancellationToken);
        }

        await _process.WaitForExitAsync(cancellationToken).WaitAsync(TestTimeouts.Default, cancellationToken);
        await DrainAsync();
        return _process.ExitCode;
    }

    public override string ToString() => $"--- stdout ---\n{Output}\n--- stderr ---\n{Error}";

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TestTimeouts.Default);
        }

        _process.Dispose();
    }

    // Everything the process wrote, once it has exited.
    private Task DrainAsync() => Task.WhenAll(_outputClosed.Task, _errorClosed.Task).WaitAsync(TestTimeouts.Default);
}
