using System.CommandLine;
using System.Text.Json;
using MeshFlow.Cli.Client;
using MeshFlow.Cli.Output;
using Spectre.Console;

namespace MeshFlow.Cli.Admin;

/// <summary>
/// <c>meshflow admin approvals list|approve|reject</c>: the tenant's paused runs (<c>GET /hitl/pending</c>) and the
/// decisions on them (<c>POST /hitl/{run_id}/approve|reject</c>, with a reviewer or admin key).
/// </summary>
internal static class AdminApprovalsCommand
{
    public static Command Create(GlobalOptions options)
    {
        var list = new Command("list", "The tenant's paused runs, oldest first: step, reason, tier, age and deadline");
        list.SetAction(async (parse, cancellationToken) =>
        {
            var console = CliConsole.From(parse);
            using var client = options.RequireClient(parse, "meshflow admin approvals list");
            using var answer = await client.GetAsync("hitl/pending", runId: null, cancellationToken);
            var pending = ApiJson.Read<PendingList>(answer.RootElement, "GET /hitl/pending").Pending;
            if (pending.Count == 0)
            {
                await console.Out.WriteLineAsync("no runs wait for approval");
                return CliExitCodes.Success;
            }

            var table = new Table().Border(TableBorder.Simple)
                .AddColumn("run id").AddColumn("workflow").AddColumn("step").AddColumn("reason").AddColumn("tier")
                .AddColumn(new TableColumn("waiting").RightAligned()).AddColumn("expires").AddColumn("on timeout");
            foreach (var pause in pending)
            {
                table.AddRow(new Text(pause.RunId), new Text(pause.Workflow), new Text(pause.StepId), new Text(pause.Reason), new Text(pause.Tier ?? ""),
                    new Text(Formats.Duration(pause.AgeSeconds * 1000.0)), new Text(Formats.Time(pause.ExpiresAt)), new Text(pause.OnTimeout.ToString()));
            }

            console.Ansi.Write(table);
            return CliExitCodes.Success;
        });

        var approvals = new Command("approvals", "Human approvals: paused runs and their decisions");
        approvals.Subcommands.Add(list);
        approvals.Subcommands.Add(Decide(options, "approve", "Approve a paused run (reviewer or admin key): the server resumes it from the paused step"));
        approvals.Subcommands.Add(Decide(options, "reject", "Reject a paused run (reviewer or admin key): it ends blocked (hitl_rejected)"));
        CliApplication.ShowHelpWhenAlone(approvals);
        return approvals;
    }

    private static Command Decide(GlobalOptions options, string decision, string description)
    {
        var runId = new Argument<string>("run_id") { Description = "The paused run" };
        var reviewer = new Option<string>("--reviewer")
        {
            Description = "Who decides, as your organisation names them (recorded in the ledger; default: your login name)",
            DefaultValueFactory = _ => Environment.UserName,
        };
        var notes = new Option<string?>("--notes") { Description = "Why, for the audit trail" };
        var command = new Command(decision, description);
        command.Arguments.Add(runId);
        command.Options.Add(reviewer);
        command.Options.Add(notes);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var console = CliConsole.From(parse);
            using var client = options.RequireClient(parse, $"meshflow admin approvals {decision}");
            var run = parse.GetValue(runId)!;
            var body = JsonSerializer.Serialize(new Dictionary<string, string?> { ["reviewer_id"] = parse.GetValue(reviewer), ["notes"] = parse.GetValue(notes) });
            using var answer = await client.SendAsync(HttpMethod.Post, $"hitl/{Uri.EscapeDataString(run)}/{decision}", body, run, cancellationToken);
            var decided = ApiJson.Read<DecisionView>(answer.RootElement, $"the {decision}");
            var next = decided.Decision == "approved" ? "the server resumes it" : "it ends blocked (hitl_rejected)";
            await console.Out.WriteLineAsync(
                $"run {decided.RunId} {decided.Decision} by {decided.ReviewerId} at step {decided.Pause.StepId}{(decided.MetDeadline ? "" : " (after its deadline)")}: {next}");
            return CliExitCodes.Success;
        });
        return command;
    }

    private sealed record PendingList(IReadOnlyList<PauseView> Pending);

    private sealed record PauseView(string RunId, string Workflow, string StepId, string Reason, string? Tier, long AgeSeconds, DateTimeOffset ExpiresAt,
        JsonElement OnTimeout);

    private sealed record DecisionView(string RunId, string Decision, string ReviewerId, bool MetDeadline, PauseView Pause);
}
