using System.Globalization;
using MeshFlow.Cli.Output;
using Spectre.Console;

namespace MeshFlow.Cli.Traces;

/// <summary>Prints a trace as a table, and a step in full.</summary>
internal static class TracePrinter
{
    public static void Table(CliConsole console, TraceDocument trace)
    {
        console.Ansi.MarkupLine(
            $"{Markup.Escape($"run {trace.RunId} · workflow {trace.Workflow ?? "?"} · ")}{VerdictStyle.Markup(trace.Status)}" +
            Markup.Escape($" · {trace.Steps.Count} records"));
        var table = new Table().Border(TableBorder.Simple)
            .AddColumn(new TableColumn("seq").RightAligned()).AddColumn("step").AddColumn("agent").AddColumn("verdict").AddColumn("block reason")
            .AddColumn(new TableColumn("tokens").RightAligned()).AddColumn(new TableColumn("cost").RightAligned())
            .AddColumn(new TableColumn("duration").RightAligned()).AddColumn(new TableColumn("uncertainty").RightAligned());
        foreach (var record in trace.Steps)
        {
            var isStep = record.Kind == "step";
            table.AddRow(
                new Text(record.Seq.ToString(CultureInfo.InvariantCulture)),
                new Text(isStep ? record.StepId ?? "" : $"({record.Kind}){(record.StepId is { } step ? $" {step}" : "")}"),
                new Text(record.AgentId ?? ""),
                new Markup(VerdictStyle.Markup(record.Verdict)),
                new Text(record.BlockReason is { } reason ? reason + (record.BlockDetail is { Length: > 0 } detail ? $": {Shorten(detail, 60)}" : "") : ""),
                new Text(isStep || record.TokensUsed > 0 ? Formats.Tokens(record.TokensUsed) : ""),
                new Text(isStep || record.CostUsd > 0 ? Formats.Cost(record.CostUsd) : ""),
                new Text(isStep ? Formats.Duration(record.DurationMs) : ""),
                new Text(Formats.Uncertainty(record.Uncertainty)));
        }

        console.Ansi.Write(table);
    }

    public static void Step(CliConsole console, StepReplay step)
    {
        var model = step.Model switch
        {
            null => "",
            "offline" when step.Offline => " · the offline model",
            var name => $" · model {name}{(step.Offline ? " (offline)" : "")}",
        };
        console.Ansi.MarkupLine(
            $"{Markup.Escape($"step {step.StepId} (seq {step.Seq}) · {(step.AgentId is { } agent ? $"agent {agent}" : $"node {step.NodeId}")} · ")}" +
            $"{VerdictStyle.Markup(step.Verdict)}{Markup.Escape(step.BlockReason is { } reason ? $" ({reason})" : "")}" +
            Markup.Escape($" · {Formats.Tokens(step.TokensInput + step.TokensOutput)} tokens · {Formats.Cost(step.CostUsd)} · {Formats.Duration(step.DurationMs)}{model}"));
        if (step.Redacted)
        {
            console.Out.WriteLine("(its content was erased; its hash still stands in the chain)");
            return;
        }

        // Recorded text is printed as it is, never read as markup.
        console.Out.WriteLine("input:");
        console.Out.WriteLine(step.InputTask ?? "");
        foreach (var call in step.ToolCalls ?? [])
        {
            console.Out.WriteLine($"tool call: {call.Name}({call.Arguments})");
            console.Out.WriteLine($"tool result: {call.Result}");
        }

        console.Out.WriteLine("output:");
        console.Out.WriteLine(step.Output ?? "");
    }

    private static string Shorten(string text, int length)
    {
        var line = text.ReplaceLineEndings(" ");
        return line.Length > length ? line[..length] + "..." : line;
    }
}
