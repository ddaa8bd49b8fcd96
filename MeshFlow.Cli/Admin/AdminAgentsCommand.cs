using System.CommandLine;
using System.Text.Json;
using MeshFlow.Cli.Client;
using MeshFlow.Cli.Output;
using Spectre.Console;

namespace MeshFlow.Cli.Admin;

/// <summary><c>meshflow admin agents list|revoke</c>: the tenant's agent identities (<c>GET /agents</c>, <c>POST /admin/agents/{did}/revoke</c>).</summary>
internal static class AdminAgentsCommand
{
    public static Command Create(GlobalOptions options)
    {
        var list = new Command("list", "The tenant's agents: did:key, workflow and node, capabilities, and whether revoked");
        list.SetAction(async (parse, cancellationToken) =>
        {
            var console = CliConsole.From(parse);
            using var client = options.RequireClient(parse, "meshflow admin agents list");
            using var answer = await client.GetAsync("agents", runId: null, cancellationToken);
            var agents = ApiJson.Read<AgentList>(answer.RootElement, "GET /agents").Agents;
            if (agents.Count == 0)
            {
                await console.Out.WriteLineAsync("no agents yet: an agent gets its identity at its first step");
                return CliExitCodes.Success;
            }

            var table = new Table().Border(TableBorder.Simple)
                .AddColumn("did").AddColumn("agent").AddColumn("workflow").AddColumn("node").AddColumn("capabilities").AddColumn("created").AddColumn("revoked");
            foreach (var agent in agents)
            {
                // DIDs and names are printed as text: "did:key:z6Mk..." would otherwise read as emoji markup.
                table.AddRow(new Text(agent.Did), new Text(agent.AgentId), new Text(agent.Workflow), new Text(agent.NodeId),
                    new Text(string.Join(", ", agent.Capabilities)), new Text(Formats.Time(agent.CreatedAt)),
                    agent.Revoked
                        ? new Markup($"[red]revoked[/] {Markup.Escape(agent.RevokedReason ?? "")}")
                        : new Text(""));
            }

            console.Ansi.Write(table);
            return CliExitCodes.Success;
        });

        var did = new Argument<string>("did") { Description = "The agent's did:key" };
        var reason = new Option<string>("--reason") { Description = "Why (recorded with the revocation)", Required = true };
        var revoke = new Command("revoke", "Revoke an agent (admin key): its next step, on any worker, is blocked with 'identity'");
        revoke.Arguments.Add(did);
        revoke.Options.Add(reason);
        revoke.SetAction(async (parse, cancellationToken) =>
        {
            var console = CliConsole.From(parse);
            using var client = options.RequireClient(parse, "meshflow admin agents revoke");
            var id = parse.GetValue(did)!;
            var body = JsonSerializer.Serialize(new Dictionary<string, string> { ["reason"] = parse.GetValue(reason)! });
            using var answer = await client.SendAsync(HttpMethod.Post, $"admin/agents/{Uri.EscapeDataString(id)}/revoke", body, runId: null, cancellationToken);
            var agent = ApiJson.Read<AgentView>(answer.RootElement, "the revocation");
            await console.Out.WriteLineAsync($"revoked {agent.Did} (agent {agent.AgentId} of {agent.Workflow}): {agent.RevokedReason}");
            return CliExitCodes.Success;
        });

        var agents = new Command("agents", "Agent identities");
        agents.Subcommands.Add(list);
        agents.Subcommands.Add(revoke);
        CliApplication.ShowHelpWhenAlone(agents);
        return agents;
    }

    private sealed record AgentList(IReadOnlyList<AgentView> Agents);

    private sealed record AgentView(string Did, string AgentId, string Workflow, string NodeId, IReadOnlyList<string> Capabilities, DateTimeOffset CreatedAt,
        bool Revoked, string? RevokedReason);
}
