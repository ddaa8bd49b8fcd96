using System.Buffers;
using System.Diagnostics;
using System.Text;
using MeshFlow.Tools.BuiltIn;

namespace MeshFlow.Tools.Sandbox;

/// <summary>
/// Runs one program in a bubblewrap sandbox (<see cref="SandboxCommandLine"/>) and returns how it ended. At the wall-clock
/// limit, at the output cap or when the caller cancels, the whole process tree is killed, every process still running
/// under the call's user id is swept up, and the runner returns only once all of them are gone.
/// </summary>
internal sealed class SandboxRunner(SandboxOptions options)
{
    private static readonly TimeSpan ReapLimit = TimeSpan.FromSeconds(10);

    /// <summary>Whether the service may make namespaces and change user ids itself (root); else a user namespace is used.</summary>
    public static bool Privileged => Environment.IsPrivilegedProcess;

    /// <summary>Runs <paramref name="request"/>; its result has <see cref="SandboxResult.Uid"/> -1 in a user namespace.</summary>
    /// <exception cref="BuiltInToolException">bubblewrap, util-linux or the program is missing, or the sandbox could not start.</exception>
    public async Task<SandboxResult> RunAsync(SandboxRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var bwrap = SandboxHost.ResolveBubblewrap(options.BubblewrapPath);
        var privileged = Privileged;
        SandboxHost.RequireRuntime(request.Program, privileged);
        var uid = privileged ? SandboxUids.Next(options) : -1;

        var start = new ProcessStartInfo(bwrap)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in SandboxCommandLine.Build(options, request, uid, privileged))
        {
            start.ArgumentList.Add(argument);
        }

        // bubblewrap clears the program's environment; its own gets nothing of the service's either.
        start.Environment.Clear();
        start.Environment["PATH"] = "/usr/bin:/bin";

        using var process = new Process { StartInfo = start };
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new BuiltInToolException("the sandbox could not start bubblewrap; install it (apt-get install bubblewrap)", exception);
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stop.CancelAfter(request.WallTimeout);
        var stdout = new CappedReader(process.StandardOutput.BaseStream, options.MaxOutputBytes, stop);
        var stderr = new CappedReader(process.StandardError.BaseStream, options.MaxOutputBytes, stop);
        var reading = Task.WhenAll(stdout.ReadAsync(), stderr.ReadAsync());
        await WriteInputAsync(process, request.StandardInput, stop.Token).ConfigureAwait(false);

        var stopped = false;
        try
        {
            await process.WaitForExitAsync(stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            stopped = true;
        }

        // Even a program that exited on its own may have left children behind; the sweep costs one /proc scan.
        await ReapAsync(process, privileged ? uid : null).ConfigureAwait(false);
        await reading.WaitAsync(ReapLimit, CancellationToken.None).ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();

        var cut = stdout.Cut || stderr.Cut;
        return new SandboxResult(
            process.ExitCode, stdout.Text, stderr.Text, TimedOut: stopped && !cut, OutputCut: cut, uid);
    }

    private static async Task WriteInputAsync(Process process, string? input, CancellationToken cancellationToken)
    {
        try
        {
            if (!string.IsNullOrEmpty(input))
            {
                var bytes = Encoding.UTF8.GetBytes(input);
                await process.StandardInput.BaseStream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
            }

            process.StandardInput.Close();
        }
        catch (Exception exception) when (exception is IOException or OperationCanceledException or ObjectDisposedException)
        {
            // The program ended, or stopped reading, before taking all of its input; how it ended says the rest.
        }
    }

    private static async Task ReapAsync(Process process, int? uid)
    {
        var tree = new HashSet<int>();
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (!process.HasExited)
            {
                tree.UnionWith(SandboxProcessTable.Tree(process.Id));
            }

            // Killing bubblewrap ends its PID namespace's init, and the kernel then ends everything in the namespace;
            // the tree and the user id are swept as well, so nothing depends on that alone.
            List<int> left = [.. tree.Where(SandboxProcessTable.IsRunning)];
            if (uid is { } id)
            {
                left.AddRange(SandboxProcessTable.WithUid(id).Where(SandboxProcessTable.IsRunning));
            }

            if (left.Count == 0 && process.HasExited)
            {
                break;
            }

            if (deadline.Elapsed > ReapLimit)
            {
                throw new BuiltInToolException("the sandbox's processes could not be stopped; the service's operator is needed");
            }

            SandboxProcessTable.Kill(left.Prepend(process.HasExited ? 0 : process.Id));
            await Task.Delay(20, CancellationToken.None).ConfigureAwait(false);
        }

        await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
    }

    /// <summary>Reads one output stream to its end, keeping at most the cap and stopping the sandbox past it.</summary>
    private sealed class CappedReader(Stream stream, int cap, CancellationTokenSource stop)
    {
        private readonly ArrayBufferWriter<byte> _kept = new();

        public bool Cut { get; private set; }

        public string Text => Encoding.UTF8.GetString(_kept.WrittenSpan);

        public async Task ReadAsync()
        {
            var buffer = new byte[16 * 1024];
            int read;
            while ((read = await stream.ReadAsync(buffer, CancellationToken.None).ConfigureAwait(false)) > 0)
            {
                var room = cap - _kept.WrittenCount;
                _kept.Write(buffer.AsSpan(0, Math.Min(room, read)));
                if (read > room && !Cut)
                {
                    Cut = true;
                    await stop.CancelAsync().ConfigureAwait(false);
                }
            }
        }
    }
}
