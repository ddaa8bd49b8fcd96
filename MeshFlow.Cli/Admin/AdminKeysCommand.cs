using System.CommandLine;
using MeshFlow.Api.Security;
using MeshFlow.Cli.Embedded;
using MeshFlow.Cli.Output;

namespace MeshFlow.Cli.Admin;

/// <summary><c>meshflow admin keys generate</c>: a new API key, made here (no server needed) and shown once.</summary>
internal static class AdminKeysCommand
{
    private static readonly string[] Roles = [MeshFlowClaims.UserRole, MeshFlowClaims.ReviewerRole, MeshFlowClaims.AdminRole];

    public static Command Create()
    {
        var tenant = new Option<string?>("--tenant") { Description = "The tenant the key acts for (default: the default tenant)" };
        var role = new Option<string>("--role")
        {
            Description = "user (runs and reads), reviewer (also decides approvals) or admin (also manages the tenant)",
            DefaultValueFactory = _ => MeshFlowClaims.UserRole,
        };
        role.AcceptOnlyFromAmong(Roles);

        var generate = new Command("generate", "Make a new API key: prints it once, with its MESHFLOW_API_KEYS entry and its hash line for api-keys.sha256");
        generate.Options.Add(tenant);
        generate.Options.Add(role);
        generate.SetAction(parse =>
        {
            var console = CliConsole.From(parse);
            var tenantId = parse.GetValue(tenant) ?? EmbeddedMeshFlow.DefaultTenant;
            if (!TenantIds.IsValid(tenantId))
            {
                throw new CliException(
                    $"--tenant '{tenantId}' is not a tenant id: use letters, digits, '-', '_' and '.', at most {TenantIds.MaxLength}", CliExitCodes.Usage);
            }

            var key = ApiKeyGenerator.Create(tenantId, parse.GetValue(role)!);
            console.Out.WriteLine($"key:               {key.Key}");
            console.Out.WriteLine($"{ApiSecurityConfiguration.ApiKeys}: {key.Entry}");
            console.Out.WriteLine($"api-keys.sha256:   {key.HashLine}");
            console.Error.WriteLine(
                $"The key is shown only now: keep it secret. Give it to a server as the {ApiSecurityConfiguration.ApiKeys} entry (comma-separated), " +
                "or put the hash line in <data dir>/api-keys.sha256, which keeps no key.");
            return CliExitCodes.Success;
        });

        var keys = new Command("keys", "API keys");
        keys.Subcommands.Add(generate);
        CliApplication.ShowHelpWhenAlone(keys);
        return keys;
    }
}
