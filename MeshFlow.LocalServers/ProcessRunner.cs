using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace MeshFlow.LocalServers;

/// <summary>
/// Runs a short-lived tool (initdb, pg_ctl, chown, docker info) to completion with an argument list, never a shell
/// string, and a timeout.
/// </summary>
public static class ProcessRunner
{
    private static readonly TimeSpan KillWait = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Runs <paramref name="fileName"/> to completion in the root folder (one every user can enter, so a tool run
    /// through runuser can start there); kills it when <paramref name="timeout"/> passes.
    /// </summary>
    /// <exception cref="TimeoutException">The process did not finish in time (it has been killed).</exception>
    /// <exception cref="Win32Exception">The executable could not be started (for example, it does not exist).</exception>
    public static Task<ProcessResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        TimeSpan timeout,
        CancellationToken cancellationToken = default) =>
        RunAsync(fileName, arguments, Path.GetPathRoot(Environment.CurrentDirectory) ?? "/", timeout, cancellationToken);

    /// <summary>Runs <paramref name="fileName"/> to completion in <paramref name="workingDirectory"/>; kills it when <paramref name="timeout"/> passes.</summary>
    /// <exception cref="TimeoutException">The process did not finish in time (it has been killed).</exception>
    /// <exception cref="Win32Exception">The executable could not be started (for example, it does not exist).</exception>
    public static async Task<ProcessResult> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        string workingDirectory,
        TimeSpan timeout,
        CancellationToken cancellationToken = default)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        var output = new StringBuilder();
        using var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);

        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(timeoutSource.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await KillAsync(process).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException(
                $"'{Describe(fileName, startInfo.ArgumentList)}' did not finish within {timeout.TotalSeconds:0.###} s. Output so far:\n{Snapshot(output)}");
        }

        return new ProcessResult(process.ExitCode, Snapshot(output));
    }

    /// <summary>
    /// Runs a probe synchronously (the AppHost probes while building its model, before anything async runs); any
    /// failure to start or finish counts as a failed probe.
    /// </summary>
    /// <returns>How it ended, or null when it could not be started or did not finish within <paramref name="timeout"/>.</returns>
    public static ProcessResult? TryRun(string fileName, IEnumerable<string> arguments, TimeSpan timeout)
    {
        try
        {
            return RunAsync(fileName, arguments, timeout).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is Win32Exception or TimeoutException or IOException)
        {
            return null;
        }
    }

    /// <summary>The command line, for messages: the file name and its arguments, space-separated.</summary>
    public static string Describe(string fileName, IEnumerable<string> arguments) =>
        string.Join(' ', new[] { fileName }.Concat(arguments));

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string Snapshot(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }

    // Kills the process and its children, and waits (briefly) until it is gone, so that a caller told of the timeout
    // never finds it still holding its files or port.
    private static async Task KillAsync(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It exited meanwhile.
            return;
        }
        catch (Win32Exception)
        {
            // Best effort: the timeout is reported either way.
        }

        using var wait = new CancellationTokenSource(KillWait);
        try
        {
            await process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Not gone after a SIGKILL: nothing more can be done about it here.
        }
    }
}
