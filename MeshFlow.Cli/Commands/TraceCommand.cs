using System.CommandLine;
using System.Globalization;
using MeshFlow.Cli.Client;
using MeshFlow.Cli.History;
using MeshFlow.Cli.Output;
using MeshFlow.Cli.Traces;
using Spectre.Console;

namespace MeshFlow.Cli.Commands;

/// <summary>
/// <c>meshflow trace</c>: a run's records as a table (verdicts coloured), one step in full with <c>--step</c>, or the
/// trace's JSON (the shape of <c>GET /traces/{run_id}</c>) with <c>--export</c>. From a server or the embedded ledger.
/// </summary>
internal static class TraceCommand
{
    private const string Done = "(done)";

    public static Command Create(GlobalOptions options)
    {
        var runId = new Argument<string>("run_id") { Description = "The run (run_...)" };
        var step = new Option<string?>("--step") { Description = "Show one step's full input and output (node:iteration, such as writer:1)" };
        var export = new Option<bool>("--export") { Description = "Write the trace as JSON to standard output (the shape of GET /traces/{run_id})" };
        var tenant = RunHistories.TenantOption();
        var command = new Command("trace", "Show a run's steps: verdicts, block reasons, tokens, cost, durations and uncertainty");
        command.Arguments.Add(runId);
        command.Options.Add(step);
        command.Options.Add(export);
        command.Options.Add(tenant);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var console = CliConsole.From(parse);
            var run = parse.GetValue(runId)!;
            if (parse.GetValue(export) && parse.GetValue(step) is not null)
            {
                throw new CliException("--export writes the whole trace; leave out --step (or --export)", CliExitCodes.Usage);
            }

            await using var history = await RunHistories.OpenAsync(options, parse, tenant, console, cancellationToken);
            if (parse.GetValue(step) is { } stepId)
            {
                using var replay = await history.ReadStepAsync(run, stepId, cancellationToken);
                TracePrinter.Step(console, ApiJson.Read<StepReplay>(replay.RootElement, $"step {stepId}"));
                return CliExitCodes.Success;
            }

            using var document = await history.ReadTraceAsync(run, cancellationToken);
            if (parse.GetValue(export))
            {
                await console.Out.WriteLineAsync(ApiJson.Pretty(document.RootElement));
                return CliExitCodes.Success;
            }

            var trace = ApiJson.Read<TraceDocument>(document.RootElement, $"the trace of {run}");
            TracePrinter.Table(console, trace);
            if (console.Interactive)
            {
                await ExploreAsync(console, history, trace, cancellationToken);
            }

            return CliExitCodes.Success;
        });
        return command;
    }

    // At a terminal: pick steps to read in full, until done.
    private static async Task ExploreAsync(CliConsole console, IRunHistory history, TraceDocument trace, CancellationToken cancellationToken)
    {
        var steps = trace.Steps.Where(r => r is { Kind: "step", StepId: not null }).ToList();
        if (steps.Count == 0)
        {
            return;
        }

        var choices = steps.Select(s => $"{s.Seq.ToString(CultureInfo.InvariantCulture)} {s.StepId}").Append(Done).ToList();
        while (!cancellationToken.IsCancellationRequested)
        {
            var choice = await new SelectionPrompt<string>()
                .Title("Show a step in full:")
                .PageSize(15)
                .AddChoices(choices)
                // Step ids are the workflow author's: shown as text, never markup.
                .UseConverter(Markup.Escape)
                .ShowAsync(console.Ansi, cancellationToken);
            if (choice == Done)
            {
                return;
            }

            var stepId = choice[(choice.IndexOf(' ', StringComparison.Ordinal) + 1)..];
            using var replay = await history.ReadStepAsync(trace.RunId, stepId, cancellationToken);
            TracePrinter.Step(console, ApiJson.Read<StepReplay>(replay.RootElement, $"step {stepId}"));
        }
    }
}
