using System.CommandLine;
using MeshFlow.Cli.Embedded;
using MeshFlow.Cli.Output;

namespace MeshFlow.Cli.History;

/// <summary>Opens the run history a command line names: the server of <c>--url</c>, else the data folder's ledger.</summary>
internal static class RunHistories
{
    /// <summary><c>--tenant</c>: whose runs to read in the embedded ledger.</summary>
    public static Option<string?> TenantOption() => new("--tenant")
    {
        Description = "Embedded mode: the tenant whose runs to read (default: the default tenant). A server shows the API key's tenant",
    };

    public static async Task<IRunHistory> OpenAsync(GlobalOptions options, ParseResult parse, Option<string?> tenant, CliConsole console,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(parse);
        var tenantId = parse.GetValue(tenant);
        if (options.Client(parse) is { } client)
        {
            if (tenantId is not null)
            {
                console.Warn("--tenant is ignored with --url: a server derives the tenant from the API key");
            }

            return new ServerRunHistory(client);
        }

        var embedded = await EmbeddedMeshFlow.OpenExistingAsync(options.DataDirectoryPath(parse), parse.GetValue(options.Verbose), cancellationToken);
        return new EmbeddedRunHistory(embedded, tenantId is { Length: > 0 } ? tenantId : EmbeddedMeshFlow.DefaultTenant);
    }
}
