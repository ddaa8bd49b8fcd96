using MeshFlow.Execution;
using MeshFlow.Hosting;
using MeshFlow.Ledger;
using MeshFlow.Workflows;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MeshFlow.Tests.Hosting;

public sealed class HostingTests
{
    [Fact]
    public async Task A_host_with_no_ledger_configured_gets_the_embedded_sqlite_ledger_and_a_generated_key_in_its_data_folder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "meshflow-host-" + Guid.NewGuid().ToString("N"));
        try
        {
            var configuration = new ConfigurationBuilder()
                .AddInMemoryCollection(new Dictionary<string, string?> { [MeshFlowLedgerServiceCollectionExtensions.DataDirectoryKey] = folder })
                .Build();
            await using var services = new ServiceCollection()
                .AddSingleton<IConfiguration>(configuration)
                .AddMeshFlowLedger()
                .AddMeshFlowEngine()
                .BuildServiceProvider();
            await services.MigrateMeshFlowLedgerAsync();
            var engine = services.GetRequiredService<MeshFlowEngine>();

            var result = await engine.RunAsync(new WorkflowBuilder("hosted").AddAgent("a", model: "offline").Build(), "x");
            var verification = await services.GetRequiredService<AuditLedger>().VerifyAsync(RunOptions.DefaultTenant, result.RunId);

            Assert.Same(services.GetRequiredService<AuditLedger>(), engine.Ledger);
            Assert.True(verification.Valid, verification.Detail);
            Assert.Equal(3, verification.Records);
            Assert.True(File.Exists(Path.Combine(folder, "ledger.db")));
            Assert.True(File.Exists(Path.Combine(folder, "ledger.key")));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_malformed_llm_connection_string_fails_at_resolution_naming_the_problem()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:llm"] = "Provider=openai;Key=sk-hidden" })
            .Build();
        using var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddMeshFlowEngine().BuildServiceProvider();

        var error = Assert.Throws<FormatException>(() => services.GetRequiredService<MeshFlowEngine>());

        Assert.Contains("no Model", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-hidden", error.Message, StringComparison.Ordinal);
    }
}
