using MeshFlow.Worker.Engine;
using MeshFlow.Worker.Presence;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddWorkerPresence();
builder.AddWorkerEngine();

var app = builder.Build();

// The worker serves health only; runs reach it through the queue, never over HTTP.
app.MapDefaultEndpoints();
app.MapServiceHealth();

app.Run();
