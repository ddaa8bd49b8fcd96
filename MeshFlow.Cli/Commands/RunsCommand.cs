using System.CommandLine;
using MeshFlow.Cli.History;
using MeshFlow.Cli.Output;
using Spectre.Console;

namespace MeshFlow.Cli.Commands;

/// <summary><c>meshflow runs</c>: a table of recent runs, from a server or the embedded ledger.</summary>
internal static class RunsCommand
{
    public static Command Create(GlobalOptions options)
    {
        var status = new Option<string?>("--status") { Description = "Only runs with this status (queued, running, paused, completed, failed, blocked, cancelled)" };
        var workflow = new Option<string?>("--workflow") { Description = "Only runs of this workflow (its name)" };
        var tenant = RunHistories.TenantOption();
        var limit = new Option<int>("--limit") { Description = "How many runs, newest first (1 to 500)", DefaultValueFactory = _ => 20 };
        limit.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 1 or > 500)
            {
                result.AddError("--limit must be from 1 to 500");
            }
        });

        var command = new Command("runs", "List recent runs: status, workflow, start, duration, steps and cost");
        command.Options.Add(status);
        command.Options.Add(workflow);
        command.Options.Add(tenant);
        command.Options.Add(limit);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var console = CliConsole.From(parse);
            await using var history = await RunHistories.OpenAsync(options, parse, tenant, console, cancellationToken);
            var rows = await history.ListRunsAsync(new RunFilter(parse.GetValue(status), parse.GetValue(workflow), parse.GetValue(limit)), cancellationToken);
            if (rows.Count == 0)
            {
                await console.Out.WriteLineAsync($"no runs in {history.Source}");
                return CliExitCodes.Success;
            }

            console.Ansi.Write(Table(rows));
            return CliExitCodes.Success;
        });
        return command;
    }

    private static Table Table(IReadOnlyList<RunRow> rows)
    {
        var table = new Table().Border(TableBorder.Simple)
            .AddColumn("run id").AddColumn("status").AddColumn("workflow").AddColumn("started")
            .AddColumn(new TableColumn("duration").RightAligned()).AddColumn(new TableColumn("steps").RightAligned())
            .AddColumn(new TableColumn("cost").RightAligned());
        foreach (var run in rows)
        {
            table.AddRow(
                new Text(run.RunId), new Markup(VerdictStyle.Markup(run.Status)), new Text(run.Workflow), new Text(Formats.Time(run.CreatedAt)),
                new Text(run.DurationMs is { } ms ? Formats.Duration(ms) : "-"), new Text(run.Steps.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                new Text(Formats.Cost(run.CostUsd)));
        }

        return table;
    }
}
