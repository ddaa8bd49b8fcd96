using System.CommandLine;
using MeshFlow.Cli.History;
using MeshFlow.Cli.Output;

namespace MeshFlow.Cli.Commands;

/// <summary>
/// <c>meshflow export</c>: a run's evidence bundle (<c>meshflow-evidence/1</c>, docs/evidence.md) to standard output,
/// from a server (<c>GET /traces/{run_id}/export</c>) or the embedded ledger.
/// </summary>
internal static class ExportCommand
{
    public static Command Create(GlobalOptions options)
    {
        var runId = new Argument<string>("run_id") { Description = "The run (run_...)" };
        var hashesOnly = new Option<bool>("--hashes-only") { Description = "Leave every payload out and keep every hash: no content leaves" };
        var tenant = RunHistories.TenantOption();
        var command = new Command("export", "Write a run's evidence bundle (records, payloads, signed head, public key) to standard output: meshflow export run_... > bundle.json");
        command.Arguments.Add(runId);
        command.Options.Add(hashesOnly);
        command.Options.Add(tenant);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var console = CliConsole.From(parse);
            var run = parse.GetValue(runId)!;
            await using var history = await RunHistories.OpenAsync(options, parse, tenant, console, cancellationToken);
            var bundle = await history.ExportAsync(run, parse.GetValue(hashesOnly), cancellationToken);
            // The bundle as it was made, byte for byte (its text is UTF-8 JSON).
            await console.Out.WriteAsync(System.Text.Encoding.UTF8.GetString(bundle).TrimEnd());
            await console.Out.WriteLineAsync();
            await console.Out.FlushAsync(cancellationToken);
            return CliExitCodes.Success;
        });
        return command;
    }
}
