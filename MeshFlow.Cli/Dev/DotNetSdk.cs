using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;

namespace MeshFlow.Cli.Dev;

/// <summary>
/// Checks that the .NET SDK the AppHost's folder resolves to (its <c>global.json</c> applies) can build and watch it:
/// the AppHost targets .NET 10, and <c>dotnet watch</c> runs an Aspire AppHost's services itself from .NET 10 on.
/// </summary>
internal static class DotNetSdk
{
    /// <summary>The oldest SDK major version that works.</summary>
    public const int MinimumMajor = 10;

    private static readonly TimeSpan AnswerTimeout = TimeSpan.FromMinutes(1);

    /// <summary>The SDK's version, as <c>dotnet --version</c> prints it in <paramref name="directory"/>.</summary>
    /// <exception cref="CliException"><c>dotnet</c> is missing, fails, or is older than .NET 10.</exception>
    public static async Task<string> RequireAsync(string directory, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("dotnet", "--version")
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["DOTNET_NOLOGO"] = "1";
        Process process;
        try
        {
            process = Process.Start(info) ?? throw new Win32Exception();
        }
        catch (Win32Exception)
        {
            throw new CliException($"'dotnet' is not on the PATH: meshflow dev builds and watches the AppHost with the .NET SDK; install the .NET {MinimumMajor} SDK (https://dot.net/download)");
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
            var error = process.StandardError.ReadToEndAsync(cancellationToken);
            try
            {
                await process.WaitForExitAsync(cancellationToken).WaitAsync(AnswerTimeout, cancellationToken).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                process.Kill(entireProcessTree: true);
                throw new CliException($"'dotnet --version' did not answer within {AnswerTimeout.TotalSeconds:0} seconds in {directory}");
            }

            var version = (await output.ConfigureAwait(false)).Trim();
            if (process.ExitCode != 0)
            {
                var reason = Reason(await error.ConfigureAwait(false)) ?? Reason(version) ?? $"exit code {process.ExitCode}";
                throw new CliException($"the .NET SDK cannot run in {directory} ('dotnet --version' failed: {reason}); install the .NET {MinimumMajor} SDK, or the one its global.json asks for");
            }

            var major = version.Split('.')[0];
            if (!int.TryParse(major, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number < MinimumMajor)
            {
                throw new CliException($"meshflow dev needs the .NET {MinimumMajor} SDK or later, but 'dotnet --version' in {directory} is {version}: install the .NET {MinimumMajor} SDK (https://dot.net/download)");
            }

            return version;
        }
    }

    // The host's lines about the SDK ("A compatible .NET SDK was not found.", "Requested SDK version: 99.0.100"),
    // else its first line: the rest lists what is installed and where to read more.
    private static string? Reason(string text)
    {
        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var about = lines.Where(l => l.Contains("SDK", StringComparison.Ordinal) && !l.EndsWith(':')).Take(2).ToList();
        return about.Count > 0 ? string.Join(' ', about) : lines.FirstOrDefault();
    }
}
