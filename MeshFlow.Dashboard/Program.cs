using MeshFlow.Dashboard.ApiClient;
using MeshFlow.Dashboard.StatusPage;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddMeshFlowApiClient();
builder.Services.AddWebEncoders();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapStatusPageEndpoints();

app.Run();
