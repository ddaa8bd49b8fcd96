using System.Diagnostics;
using System.Text;

namespace MeshFlow.Tests.Ledger.Evidence;

/// <summary>Runs the documented Python verifier (<c>docs/evidence/verify_bundle.py</c>, copied to the test output) as a process.</summary>
internal static class PythonVerifier
{
    public static string ScriptPath { get; } = Path.Combine(AppContext.BaseDirectory, "evidence", "verify_bundle.py");

    public sealed record Result(int ExitCode, string Stdout, string Stderr)
    {
        /// <summary>The one line it printed: stdout when it reached a verdict, stderr when it could not read the file.</summary>
        public string Line => (ExitCode == 2 ? Stderr : Stdout).Trim();
    }

    /// <summary><c>python3 verify_bundle.py bundle [--public-key file]...</c>.</summary>
    public static Task<Result> VerifyAsync(string bundlePath, params string[] publicKeyFiles)
    {
        var arguments = new List<string> { ScriptPath, bundlePath };
        foreach (var file in publicKeyFiles)
        {
            arguments.Add("--public-key");
            arguments.Add(file);
        }

        return RunAsync(arguments, workingDirectory: null);
    }

    /// <summary>Runs a Python snippet with the verifier importable as <c>verify_bundle</c>.</summary>
    public static Task<Result> RunSnippetAsync(string code, params string[] arguments) =>
        RunAsync(["-c", code, .. arguments], Path.GetDirectoryName(ScriptPath));

    // "python3" may be a version manager's shim that takes a second to start; the interpreter it runs does not.
    private static readonly Lazy<Task<string>> Interpreter = new(async () =>
    {
        var result = await RunAsync("python3", ["-c", "import sys; print(sys.executable)"], null);
        var path = result.Stdout.Trim();
        return result.ExitCode == 0 && File.Exists(path) ? path : "python3";
    });

    private static async Task<Result> RunAsync(IEnumerable<string> arguments, string? workingDirectory) =>
        await RunAsync(await Interpreter.Value, arguments, workingDirectory);

    private static async Task<Result> RunAsync(string interpreter, IEnumerable<string> arguments, string? workingDirectory)
    {
        var start = new ProcessStartInfo(interpreter)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["PYTHONIOENCODING"] = "utf-8";
        start.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("python3 did not start");
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        try
        {
            await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new Result(process.ExitCode, await stdout, await stderr);
    }
}
