using MeshFlow.Api.Apis;
using MeshFlow.Api.Approvals;
using MeshFlow.Api.Governance;
using MeshFlow.Api.Knowledge;
using MeshFlow.Api.Metrics;
using MeshFlow.Api.Runs;
using MeshFlow.Api.Security;
using MeshFlow.Api.Streaming;
using MeshFlow.Api.Tools;
using MeshFlow.Api.Traces;
using MeshFlow.Hosting;
using MeshFlow.Runtime;
using MeshFlow.ServiceDefaults.Startup;

namespace MeshFlow.Api.Hosting;

/// <summary>
/// The MeshFlow API as a host anyone can start: its own <c>Program</c>, the CLI's <c>meshflow serve</c> and tests
/// build the same application here, so they differ only in what <c>configure</c> adds (ports, TLS, keys).
/// </summary>
public static class MeshFlowApiHost
{
    /// <summary>Builds the API: services, middleware and every endpoint, with the ledger migrated on start.</summary>
    /// <exception cref="MeshFlowConfigurationException">A setting is wrong (an API key entry, a limit); the message names it.</exception>
    /// <param name="args">Command-line arguments, read as configuration like any ASP.NET Core host's.</param>
    /// <param name="configure">Runs after the API's own registrations and before the app is built.</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);

        builder.AddServiceDefaults();
        // Tokens are sent by the thread that relays them rather than queued to Kestrel's own I/O threads: one
        // hand-off fewer per streamed token (docs/performance.md, "Streaming").
        builder.WebHost.UseSockets(options => options.UnsafePreferInlineScheduling = true);

        builder.AddMeshFlowApiSecurity();
        builder.AddMeshFlowApiRuntime();
        builder.AddMeshFlowApiMetrics();
        builder.Services.AddProblemDetails();
        builder.Services.AddOpenApi(options => options.AddApiKeySecurity());
        configure?.Invoke(builder);

        var app = builder.Build();

        // Unhandled exceptions and bare error status codes (404, 405...) answer as ProblemDetails JSON.
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMeshFlowApiSecurity();

        app.MapOpenApi();
        app.MapDefaultEndpoints();
        app.MapHealthEndpoints();
        app.MapWorkflowEndpoints();
        app.MapRunEndpoints();
        app.MapEventStreamEndpoints();
        app.MapTraceEndpoints();
        app.MapPolicyEndpoints();
        app.MapAgentEndpoints();
        app.MapHitlEndpoints();
        app.MapKnowledgeEndpoints();
        app.MapToolEndpoints();
        app.MapMeEndpoints();
        app.MapMetricsEndpoints();
        return app;
    }

    /// <summary>
    /// Prepares a built API to serve: loads the registered workflows (an invalid one stops start-up here), migrates the
    /// ledger and connects the runtime (Redis in distributed mode) before the first request rather than inside it,
    /// where a connection made lazily by concurrent first requests blocks thread-pool threads.
    /// </summary>
    /// <exception cref="MeshFlowConfigurationException">A setting is wrong; the message names it.</exception>
    public static async Task PrepareAsync(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Services.GetRequiredService<WorkflowRegistry>();
        await app.Services.MigrateMeshFlowLedgerAsync();
        app.Services.GetRequiredService<IRunEventBus>();
        app.Services.GetRequiredService<IRunQueue>();
    }
}
