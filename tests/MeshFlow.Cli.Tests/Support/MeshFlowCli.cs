using System.Diagnostics;
using System.Reflection;

namespace MeshFlow.Cli.Tests.Support;

/// <summary>Runs the built <c>meshflow</c> CLI as a process, the way a user does.</summary>
internal static class MeshFlowCli
{
    /// <summary>The built CLI (<c>meshflow.dll</c>), run with <c>dotnet</c>.</summary>
    public static string Path { get; } = System.IO.Path.GetFullPath(Metadata("MeshFlowCliPath"));

    /// <summary>The repository's root folder (examples, docs).</summary>
    public static string RepositoryRoot { get; } = System.IO.Path.GetFullPath(Metadata("MeshFlowRepositoryRoot"));

    /// <summary>
    /// Runs <c>meshflow</c> with <paramref name="args"/> in <paramref name="workingDirectory"/>, with
    /// <c>MESHFLOW_URL</c>/<c>MESHFLOW_API_KEY</c>/<c>MESHFLOW_DATA_DIR</c> cleared unless <paramref name="environment"/>
    /// sets them, and waits for it to exit.
    /// </summary>
    public static async Task<CliResult> RunAsync(IEnumerable<string> args, string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null, string? standardInput = null, CancellationToken cancellationToken = default)
    {
        using var process = Start(args, workingDirectory, environment, redirectInput: standardInput is not null);
        if (standardInput is not null)
        {
            await process.StandardInput.WriteAsync(standardInput);
            process.StandardInput.Close();
        }

        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        try
        {
            await process.WaitForExitAsync(cancellationToken).WaitAsync(TestTimeouts.Default, cancellationToken);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"meshflow {string.Join(' ', args)} did not exit within {TestTimeouts.Default}");
        }

        return new CliResult(process.ExitCode, await output, await error);
    }

    /// <summary>Starts <c>meshflow</c> without waiting (for long-running commands such as <c>serve</c>).</summary>
    public static Process Start(IEnumerable<string> args, string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null, bool redirectInput = false) =>
        Process.Start(StartInfo("dotnet", [Path, .. args], workingDirectory, environment, redirectInput))
        ?? throw new InvalidOperationException("dotnet did not start");

    /// <summary>
    /// Starts <c>meshflow</c> the way a terminal does, with SIGINT handled by default: a process started in the
    /// background by a non-interactive shell (a CI step, a test runner started from one) inherits SIGINT as ignored,
    /// and .NET keeps it ignored. A one-line Python exec resets it (Python 3 is on every machine this suite runs on).
    /// </summary>
    public static Process StartInterruptible(IEnumerable<string> args, string? workingDirectory = null,
        IReadOnlyDictionary<string, string?>? environment = null) =>
        Process.Start(StartInfo("python3",
            ["-c", "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp('dotnet', ['dotnet'] + sys.argv[1:])", Path, .. args],
            workingDirectory, environment, redirectInput: false))
        ?? throw new InvalidOperationException("python3 did not start");

    private static ProcessStartInfo StartInfo(string fileName, IEnumerable<string> args, string? workingDirectory,
        IReadOnlyDictionary<string, string?>? environment, bool redirectInput)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Directory.GetCurrentDirectory(),
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var name in new[] { "MESHFLOW_URL", "MESHFLOW_API_KEY", "MESHFLOW_DATA_DIR", "MESHFLOW_API_KEYS", "MESHFLOW_API_KEYS_FILE" })
        {
            info.Environment.Remove(name);
        }

        // No colours or terminal probing: the tests read plain text.
        info.Environment["NO_COLOR"] = "1";
        info.Environment["TERM"] = "dumb";
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            info.Environment[name] = value;
        }

        return info;
    }

    private static string Metadata(string key) =>
        typeof(MeshFlowCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value
        ?? throw new InvalidOperationException($"the test assembly has no {key}");
}
