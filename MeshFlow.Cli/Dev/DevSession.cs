using System.ComponentModel;
using System.Diagnostics;

namespace MeshFlow.Cli.Dev;

/// <summary>
/// One <c>meshflow dev</c>: the AppHost under <c>dotnet watch</c>, its output passed through, until it is cancelled
/// (Ctrl+C, SIGTERM) and everything it started is stopped.
/// </summary>
/// <remarks>
/// From .NET 10, <c>dotnet watch</c> on an Aspire AppHost launches the AppHost's project resources itself (the IDE
/// protocol DCP speaks), so an edit to a service is hot reloaded into it. An edit that cannot be applied restarts what
/// it touches, rebuilt: the service alone, or the AppHost and every service; <c>--non-interactive</c> restarts without
/// asking and never reads the console.
/// </remarks>
internal sealed class DevSession(string appHostProject, string? configuration, bool poll, DevOutput output)
{
    /// <summary>The exit code after Ctrl+C or SIGTERM: 128 + SIGINT, as a shell reports an interrupted command.</summary>
    public const int Interrupted = 130;

    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Runs until cancelled (then <see cref="Interrupted"/>, once everything is stopped) or until <c>dotnet watch</c> ends by itself.</summary>
    /// <exception cref="CliException"><c>dotnet watch</c> could not start, or ended by itself with a failure.</exception>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        using var watch = Start();
        var pumps = Task.WhenAll(PumpAsync(watch.StandardOutput, isError: false), PumpAsync(watch.StandardError, isError: true));
        try
        {
            await watch.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            output.Note("meshflow dev: stopping the AppHost, its services and servers...");
            await ProcessShutdown.StopAsync(watch, Path.GetFileNameWithoutExtension(appHostProject)).ConfigureAwait(false);
            await DrainAsync(pumps).ConfigureAwait(false);
            output.Note("meshflow dev: stopped.");
            return Interrupted;
        }

        await DrainAsync(pumps).ConfigureAwait(false);
        if (watch.ExitCode == 0)
        {
            return CliExitCodes.Success;
        }

        throw new CliException(output.SawInotifyLimit
            ? $"dotnet watch ran out of inotify instances (fs.inotify.max_user_instances): run again with {FileWatching.PollingVariable}=1, or raise the limit"
            : $"dotnet watch stopped with exit code {watch.ExitCode} (its output is above)");
    }

    private Process Start()
    {
        var info = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(appHostProject)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["watch", "--project", appHostProject, "--non-interactive"])
        {
            info.ArgumentList.Add(argument);
        }

        if (configuration is { Length: > 0 })
        {
            info.ArgumentList.Add("--configuration");
            info.ArgumentList.Add(configuration);
        }

        // Plain lines to pass through and read; the banner gives the URLs, so no browser is opened (nor fails to open
        // on a machine without one).
        info.Environment["DOTNET_WATCH_SUPPRESS_EMOJIS"] = "1";
        info.Environment["DOTNET_WATCH_SUPPRESS_LAUNCH_BROWSER"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        if (poll)
        {
            info.Environment[FileWatching.PollingVariable] = "1";
        }

        try
        {
            return Process.Start(info) ?? throw new CliException("dotnet watch did not start");
        }
        catch (Win32Exception ex)
        {
            throw new CliException($"dotnet watch did not start: {ex.Message}");
        }
    }

    private async Task PumpAsync(StreamReader reader, bool isError)
    {
        while (await reader.ReadLineAsync().ConfigureAwait(false) is { } line)
        {
            output.Line(line, isError);
        }
    }

    // A process that outlived the watch could hold its output open; the session ends regardless.
    private static async Task DrainAsync(Task pumps)
    {
        try
        {
            await pumps.WaitAsync(DrainTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }
    }
}
