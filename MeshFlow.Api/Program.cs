using MeshFlow.Api.Apis;
using MeshFlow.Api.Security;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.Services.AddProblemDetails();
builder.Services.AddOpenApi();
builder.AddMeshFlowApiSecurity();

var app = builder.Build();

// Unhandled exceptions and bare error status codes (404, 405...) answer as ProblemDetails JSON.
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseMeshFlowApiSecurity();

app.MapOpenApi();
app.MapDefaultEndpoints();
app.MapHealthEndpoints();
app.MapWorkflowEndpoints();

app.Run();

public partial class Program;
