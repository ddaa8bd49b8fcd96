using System.Text.RegularExpressions;

namespace MeshFlow.Cli.Dev;

/// <summary>
/// Passes the output of <c>dotnet watch</c> (and of the AppHost under it) through, line by line, and keeps the
/// AppHost's banner. When the AppHost restarts (an edit that cannot be hot reloaded), it prints a fresh banner and
/// nothing is repeated; when <c>dotnet watch</c> reports that a service exited without the AppHost (a service
/// restarted alone), the banner is printed again once the API answers its health check, since the AppHost prints it
/// only once.
/// </summary>
internal sealed partial class DevOutput(TextWriter output, TextWriter error, string appHostName) : IDisposable
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan GiveUpAfter = TimeSpan.FromMinutes(10);
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    private readonly Lock _gate = new();
    private readonly AppHostBanner _banner = new();
    private CancellationTokenSource? _reprint;

    /// <summary>Whether a line said that the user's inotify instances ran out (dotnet watch then fails).</summary>
    public bool SawInotifyLimit { get; private set; }

    /// <summary>One line of the child's standard output (or, with <paramref name="isError"/>, its standard error).</summary>
    public void Line(string line, bool isError)
    {
        lock (_gate)
        {
            (isError ? error : output).WriteLine(line);
            SawInotifyLimit |= line.Contains("number of inotify instances has been reached", StringComparison.Ordinal);
            if (_banner.Read(line))
            {
                CancelReprint();
                return;
            }

            var exited = ExitedProject().Match(line);
            if (!exited.Success)
            {
                return;
            }

            CancelReprint();
            if (exited.Groups["project"].Value != appHostName && _banner.ApiUrl is { } api)
            {
                _reprint = new CancellationTokenSource(GiveUpAfter);
                _ = ReprintWhenUpAsync(api, _reprint.Token);
            }
        }
    }

    /// <summary>A line of meshflow's own.</summary>
    public void Note(string line)
    {
        lock (_gate)
        {
            output.WriteLine(line);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            CancelReprint();
        }
    }

    private async Task ReprintWhenUpAsync(Uri api, CancellationToken cancellationToken)
    {
        try
        {
            var health = new Uri(api, "/health");
            do
            {
                await Task.Delay(PollInterval, cancellationToken).ConfigureAwait(false);
            }
            while (!await AnswersAsync(health, cancellationToken).ConfigureAwait(false));

            lock (_gate)
            {
                if (!cancellationToken.IsCancellationRequested)
                {
                    output.WriteLine();
                    output.WriteLine("meshflow dev: a service restarted; MeshFlow is up again:");
                    foreach (var line in _banner.Lines)
                    {
                        output.WriteLine(line);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Another restart, a fresh banner, the end of the session, or no answer in time: nothing to print.
        }
    }

    private static async Task<bool> AnswersAsync(Uri health, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await Http.GetAsync(health, cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private void CancelReprint()
    {
        _reprint?.Cancel();
        _reprint?.Dispose();
        _reprint = null;
    }

    // dotnet watch's report that a project's process ended: "dotnet watch : [MeshFlow.Api (net10.0)] Exited" (an emoji
    // instead of ':' unless DOTNET_WATCH_SUPPRESS_EMOJIS), or "... Exited with error code 1".
    [GeneratedRegex(@"^dotnet watch\b.*?\[(?<project>[^\]\s]+)(?: \([^\)]*\))?\] Exited", RegexOptions.CultureInvariant)]
    private static partial Regex ExitedProject();
}
