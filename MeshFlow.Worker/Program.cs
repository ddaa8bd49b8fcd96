using MeshFlow.Distributed.Ledger.Postgres;
using MeshFlow.Distributed.Hosting;
using MeshFlow.Hosting;
using MeshFlow.Runtime;
using MeshFlow.Worker;
using MeshFlow.Worker.Engine;
using MeshFlow.Worker.Presence;
using MeshFlow.Worker.Queue;

// Before anything opens a socket (see SocketCompletions).
SocketCompletions.Configure();

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddWorkerPresence();

// A worker is one of a pool: it reads runs from the Redis stream and resumes them from the shared Postgres ledger.
var ledger = builder.Configuration.GetConnectionString("ledger");
var redis = builder.Configuration.GetConnectionString("redis");
if (string.IsNullOrWhiteSpace(ledger) || string.IsNullOrWhiteSpace(redis))
{
    throw new InvalidOperationException(
        "MeshFlow.Worker needs ConnectionStrings:ledger (Postgres) and ConnectionStrings:redis: run it in the AppHost topology " +
        "(dotnet run --project MeshFlow.AppHost), or run MeshFlow.Api alone, which executes runs itself in embedded mode");
}

builder.Services.AddMeshFlowLedger(_ => new PostgresLedgerStore(ledger));
builder.AddWorkerEngine();
builder.Services.AddMeshFlowRedisRuntime(redis, options => QueueTimingSettings.Apply(builder.Configuration, options));
builder.Services.AddMeshFlowWorker();
builder.Services.AddHostedService<RunReconcilerService>();

var app = builder.Build();

// The worker serves health only; runs reach it through the queue, never over HTTP.
app.MapDefaultEndpoints();
app.MapServiceHealth();

await app.Services.MigrateMeshFlowLedgerAsync();

// Connect to Redis at start-up, not lazily inside the first runs.
app.Services.GetRequiredService<IRunQueue>();
await app.RunAsync();
