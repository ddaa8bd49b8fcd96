using Spectre.Console;

namespace MeshFlow.Cli.Runs;

/// <summary>
/// A spinner with the run's progress while nothing arrives (a slow model, a long tool, a human): shown at an
/// interactive console only, and only between events, so it never cuts into streamed text.
/// </summary>
internal static class RunProgress
{
    private static readonly TimeSpan QuietBeforeSpinner = TimeSpan.FromMilliseconds(400);

    private static readonly TimeSpan Refresh = TimeSpan.FromMilliseconds(250);

    /// <summary>Waits for <paramref name="next"/>, showing <paramref name="progress"/> once the wait is noticeable.</summary>
    public static async Task ShowWhileAsync(Output.CliConsole console, Task next, Func<string> progress)
    {
        if (await Task.WhenAny(next, Task.Delay(QuietBeforeSpinner)) == next)
        {
            return;
        }

        await console.Ansi.Status().Spinner(Spinner.Known.Dots).StartAsync(Markup.Escape(progress()), async context =>
        {
            while (await Task.WhenAny(next, Task.Delay(Refresh)) != next)
            {
                context.Status(Markup.Escape(progress()));
            }
        });
    }
}
