using System.CommandLine;
using System.Text.Json;
using MeshFlow.Cli.Client;
using MeshFlow.Cli.Output;
using MeshFlow.Cli.Workflows;

namespace MeshFlow.Cli.Admin;

/// <summary><c>meshflow admin policy get|set</c>: a tenant's default policy and ceiling (<c>GET</c>/<c>PUT /admin/tenants/{tenant}/policy</c>).</summary>
internal static class AdminPolicyCommand
{
    public static Command Create(GlobalOptions options)
    {
        var tenant = new Argument<string>("tenant") { Description = "The tenant (an admin key manages its own)" };
        var get = new Command("get", "Show the tenant's default policy and ceiling (JSON)");
        get.Arguments.Add(tenant);
        get.SetAction(async (parse, cancellationToken) =>
        {
            var console = CliConsole.From(parse);
            using var client = options.RequireClient(parse, "meshflow admin policy get");
            using var answer = await client.GetAsync(Route(parse.GetValue(tenant)!), runId: null, cancellationToken);
            await console.Out.WriteLineAsync(ApiJson.Pretty(answer.RootElement));
            return CliExitCodes.Success;
        });

        var setTenant = new Argument<string>("tenant") { Description = "The tenant (an admin key manages its own)" };
        var file = new Argument<string>("file") { Description = "A JSON or YAML file: {\"default\": {...}, \"ceiling\": {...}}" };
        var set = new Command("set", "Set the tenant's default policy and ceiling from a file; runs may tighten the ceiling, never loosen it");
        set.Arguments.Add(setTenant);
        set.Arguments.Add(file);
        set.SetAction(async (parse, cancellationToken) =>
        {
            var console = CliConsole.From(parse);
            var path = parse.GetValue(file)!;
            if (!File.Exists(path))
            {
                throw new CliException($"{path}: does not exist");
            }

            var body = PolicyArgument.ReadFile(path);
            using var client = options.RequireClient(parse, "meshflow admin policy set");
            using var answer = await client.SendAsync(HttpMethod.Put, Route(parse.GetValue(setTenant)!), JsonSerializer.Serialize(body), runId: null,
                cancellationToken);
            await console.Out.WriteLineAsync(ApiJson.Pretty(answer.RootElement));
            return CliExitCodes.Success;
        });

        var policy = new Command("policy", "A tenant's default policy and ceiling");
        policy.Subcommands.Add(get);
        policy.Subcommands.Add(set);
        CliApplication.ShowHelpWhenAlone(policy);
        return policy;
    }

    private static string Route(string tenant) => $"admin/tenants/{Uri.EscapeDataString(tenant)}/policy";
}
