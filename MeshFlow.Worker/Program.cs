using MeshFlow.Hosting;
using MeshFlow.Runtime;
using MeshFlow.ServiceDefaults.Startup;
using MeshFlow.Worker;
using MeshFlow.Worker.Engine;
using MeshFlow.Worker.Presence;

// Before anything opens a socket (see SocketCompletions).
SocketCompletions.Configure();

return await ServiceStartup.RunAsync("MeshFlow.Worker", args, async () =>
{
    var builder = WebApplication.CreateBuilder(args);

    builder.AddServiceDefaults();
    builder.AddWorkerPresence();
    builder.AddWorkerRuntime();

    var app = builder.Build();

    // The worker serves health only; runs reach it through the queue, never over HTTP.
    app.MapDefaultEndpoints();
    app.MapServiceHealth();

    await app.Services.MigrateMeshFlowLedgerAsync();

    // Connect to Redis at start-up, not lazily inside the first runs.
    app.Services.GetRequiredService<IRunQueue>();
    await app.RunAsync();
});
