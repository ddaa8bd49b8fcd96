using System.Diagnostics;

namespace MeshFlow.Api.Tests.Support;

/// <summary>The built API (<c>MeshFlow.Api.dll</c>) run as a process with <c>dotnet</c>, the way a user starts it.</summary>
internal static class ApiProcess
{
    /// <summary>The API's build output as this test project copies it.</summary>
    public static string Path { get; } = System.IO.Path.Combine(AppContext.BaseDirectory, "MeshFlow.Api.dll");

    /// <summary>
    /// Runs the API with <paramref name="environment"/> (over a clean slate: no connection strings, keys or verbosity
    /// inherited from the test's own environment) in a temp folder, and waits for it to exit.
    /// </summary>
    /// <exception cref="TimeoutException">It did not exit within the test timeout (it was killed).</exception>
    public static async Task<(int ExitCode, string Output, string Error)> RunUntilExitAsync(IReadOnlyDictionary<string, string> environment)
    {
        var folder = Directory.CreateTempSubdirectory("meshflow-api-process-");
        try
        {
            var info = new ProcessStartInfo("dotnet")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = folder.FullName,
            };
            info.ArgumentList.Add(Path);
            foreach (var name in info.Environment.Keys.Where(IsInherited).ToList())
            {
                info.Environment.Remove(name);
            }

            info.Environment["MESHFLOW_DATA_DIR"] = System.IO.Path.Combine(folder.FullName, "data");
            info.Environment["ASPNETCORE_URLS"] = "http://127.0.0.1:0";
            foreach (var (name, value) in environment)
            {
                info.Environment[name] = value;
            }

            using var process = Process.Start(info) ?? throw new InvalidOperationException("dotnet did not start");
            var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            try
            {
                await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TestTimeouts.Default, TestContext.Current.CancellationToken);
            }
            catch (TimeoutException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"MeshFlow.Api did not exit within {TestTimeouts.Default}: {await output}");
            }

            return (process.ExitCode, await output, await error);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static bool IsInherited(string name) =>
        name.StartsWith("MESHFLOW_", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("ConnectionStrings", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("Logging", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase);
}
