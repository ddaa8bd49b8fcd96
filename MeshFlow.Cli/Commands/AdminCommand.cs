using System.CommandLine;
using MeshFlow.Cli.Admin;

namespace MeshFlow.Cli.Commands;

/// <summary><c>meshflow admin</c>: keys (made here), and a server's agents, tenant policies and approvals.</summary>
internal static class AdminCommand
{
    public static Command Create(GlobalOptions options)
    {
        var admin = new Command("admin", "Administer MeshFlow: API keys and the ledger's key, agents, tenant policies, approvals (agents, policy and approvals need --url)");
        admin.Subcommands.Add(AdminKeysCommand.Create(options));
        admin.Subcommands.Add(AdminAgentsCommand.Create(options));
        admin.Subcommands.Add(AdminPolicyCommand.Create(options));
        admin.Subcommands.Add(AdminApprovalsCommand.Create(options));
        CliApplication.ShowHelpWhenAlone(admin);
        return admin;
    }
}
