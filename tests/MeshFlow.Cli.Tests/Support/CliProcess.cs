using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace MeshFlow.Cli.Tests.Support;

/// <summary>
/// A <c>meshflow</c> process the test keeps running (<c>serve</c>, a long <c>run</c>): what it printed so far, waits
/// for a line, Ctrl+C, and a hard stop when the test ends.
/// </summary>
internal sealed class CliProcess : IAsyncDisposable
{
    private const string ListeningPrefix = "MeshFlow API listening on ";

    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly StringBuilder _error = new();
    private readonly TaskCompletionSource _outputClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _errorClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Found)> _waiters = [];

    private CliProcess(Process process)
    {
        _process = process;
        process.OutputDataReceived += (_, e) => Received(e.Data, _output, _outputClosed, matchLines: true);
        process.ErrorDataReceived += (_, e) => Received(e.Data, _error, _errorClosed, matchLines: false);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>For <c>serve</c>: the first address it listens on (<c>http://127.0.0.1:port</c>).</summary>
    public string Url { get; private set; } = "";

    public string Output => Read(_output);

    public string Error => Read(_error);

    public int ExitCode => _process.ExitCode;

    /// <summary>Starts <c>meshflow</c>; <paramref name="interruptible"/> for a process the test will send Ctrl+C.</summary>
    public static CliProcess Start(IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment = null, bool interruptible = false,
        string? workingDirectory = null) =>
        new(interruptible ? MeshFlowCli.StartInterruptible(args, workingDirectory, environment) : MeshFlowCli.Start(args, workingDirectory, environment));

    /// <summary>Starts <c>meshflow serve</c> with <paramref name="args"/> and waits until it says where it listens.</summary>
    public static async Task<CliProcess> ServeAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment = null,
        bool interruptible = false, CancellationToken cancellationToken = default)
    {
        var serve = Start(["serve", .. args], environment, interruptible);
        try
        {
            var line = await serve.WaitForLineAsync(l => l.StartsWith(ListeningPrefix, StringComparison.Ordinal), cancellationToken);
            serve.Url = line[ListeningPrefix.Length..].Trim();
            return serve;
        }
        catch
        {
            await serve.DisposeAsync();
            throw;
        }
    }

    /// <summary>The first line of standard output that matches, waiting for it (and failing if the process exits first).</summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, CancellationToken cancellationToken)
    {
        var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_output)
        {
            if (_output.ToString().Split('\n').Select(l => l.TrimEnd('\r')).FirstOrDefault(match) is { } already)
            {
                return already;
            }

            _waiters.Add((match, found));
        }

        var exited = _process.WaitForExitAsync(cancellationToken);
        try
        {
            if (await Task.WhenAny(found.Task, exited).WaitAsync(TestTimeouts.Default, cancellationToken) != found.Task)
            {
                await DrainAsync();
                throw new InvalidOperationException($"meshflow exited ({_process.ExitCode}) before printing the line awaited\n{this}");
            }
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"meshflow did not print the line awaited within {TestTimeouts.Default}\n{this}");
        }

        return await found.Task;
    }

    /// <summary>Sends SIGINT (Ctrl+C) and waits for the process to exit; its exit code.</summary>
    public async Task<int> InterruptAsync(CancellationToken cancellationToken)
    {
        using (var kill = Process.Start("kill", ["-INT", _process.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(cancellationToken).WaitAsync(TestTimeouts.Default, cancellationToken);
        }

        return await WaitForExitAsync(cancellationToken);
    }

    /// <summary>Waits for the process to end by itself; its exit code, with all it printed read.</summary>
    public async Task<int> WaitForExitAsync(CancellationToken cancellationToken)
    {
        await _process.WaitForExitAsync(cancellationToken).WaitAsync(TestTimeouts.Default, cancellationToken);
        await DrainAsync();
        return _process.ExitCode;
    }

    /// <summary>What it printed, as a finished command's result (after <see cref="WaitForExitAsync"/>).</summary>
    public CliResult Result() => new(_process.ExitCode, Output, Error);

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

    private void Received(string? line, StringBuilder text, TaskCompletionSource closed, bool matchLines)
    {
        if (line is null)
        {
            closed.TrySetResult();
            return;
        }

        lock (text)
        {
            text.Append(line).Append('\n');
            if (!matchLines)
            {
                return;
            }

            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Match(line))
                {
                    _waiters[i].Found.TrySetResult(line);
                    _waiters.RemoveAt(i);
                }
            }
        }
    }

    private static string Read(StringBuilder text)
    {
        lock (text)
        {
            return text.ToString();
        }
    }

    // Everything the process wrote, once it has exited.
    private Task DrainAsync() => Task.WhenAll(_outputClosed.Task, _errorClosed.Task).WaitAsync(TestTimeouts.Default);
}
