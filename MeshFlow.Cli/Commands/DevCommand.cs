using System.CommandLine;
using System.Runtime.InteropServices;
using MeshFlow.Cli.Dev;

namespace MeshFlow.Cli.Commands;

/// <summary><c>meshflow dev [--apphost &lt;path&gt;]</c>: the whole Aspire AppHost under <c>dotnet watch</c>.</summary>
internal static class DevCommand
{
    public static Command Create(GlobalOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var apphost = new Option<string?>("--apphost")
        {
            Description = $"The AppHost project ({AppHostLocator.ProjectName}.csproj) or its folder (default: found in the current folder or its parents)",
        };
        var configuration = new Option<string?>("--configuration", "-c")
        {
            Description = "The build configuration (default: Debug, which hot reload needs for most edits)",
        };

        var command = new Command("dev",
            "Run the whole topology (Postgres, Redis, the API, the workers, the dashboard) from a MeshFlow checkout under dotnet watch: " +
            "code changes are hot reloaded, or restart what they touch; Ctrl+C stops everything")
        {
            apphost, configuration,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var project = AppHostLocator.Find(parse.GetValue(apphost), Directory.GetCurrentDirectory());
            var sdk = await DotNetSdk.RequireAsync(Path.GetDirectoryName(project)!, cancellationToken);

            // SIGTERM (a service manager, a CI runner, kill) stops the session as Ctrl+C does.
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            using var terminate = OperatingSystem.IsWindows() ? null : PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
            {
                context.Cancel = true;
                stop.Cancel();
            });

            var config = parse.InvocationConfiguration;
            using var output = new DevOutput(config.Output, config.Error, Path.GetFileNameWithoutExtension(project));
            output.Note($"meshflow dev: starting {project} under dotnet watch (SDK {sdk}):");
            output.Note("  Postgres, Redis, the API, the workers and the dashboard. The first build takes a few minutes.");
            output.Note("  Code changes are hot reloaded where they can be; otherwise what they touch restarts.");
            output.Note("  The URLs and the API key follow once the API is up. Press Ctrl+C to stop everything.");
            var reasonToPoll = FileWatching.ReasonToPoll();
            if (reasonToPoll is not null)
            {
                output.Note($"  {reasonToPoll}.");
            }

            return await new DevSession(project, parse.GetValue(configuration), reasonToPoll is not null, output).RunAsync(stop.Token);
        });
        return command;
    }
}
