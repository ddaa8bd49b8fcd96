using System.CommandLine;
using MeshFlow.Api.Security;
using MeshFlow.Cli.Embedded;
using MeshFlow.Cli.History;
using MeshFlow.Cli.Output;

namespace MeshFlow.Cli.Admin;

/// <summary>
/// <c>meshflow admin keys generate</c>: a new API key, made here (no server needed) and shown once; <c>meshflow admin
/// keys ledger</c>: the ledger's public signing key, to pin when verifying evidence.
/// </summary>
internal static class AdminKeysCommand
{
    private static readonly string[] Roles = [MeshFlowClaims.UserRole, MeshFlowClaims.ReviewerRole, MeshFlowClaims.AdminRole];

    public static Command Create(GlobalOptions options)
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

        var ledger = new Command("ledger",
            "Print the public key the ledger signs run heads with (base64), to pin with 'meshflow verify --public-key': from the server, or the data folder");
        ledger.SetAction(async (parse, cancellationToken) =>
        {
            var console = CliConsole.From(parse);
            await using var history = await RunHistories.OpenAsync(options, parse, RunHistories.TenantOption(), console, cancellationToken);
            var (keyId, publicKey) = await history.ReadSigningKeyAsync(cancellationToken);
            await console.Out.WriteLineAsync(publicKey);
            await console.Error.WriteLineAsync($"{keyId}, from {history.Source}");
            return CliExitCodes.Success;
        });

        var keys = new Command("keys", "API keys, and the ledger's signing key");
        keys.Subcommands.Add(generate);
        keys.Subcommands.Add(ledger);
        CliApplication.ShowHelpWhenAlone(keys);
        return keys;
    }
}
