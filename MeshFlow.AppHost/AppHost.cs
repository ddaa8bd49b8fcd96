using MeshFlow.AppHost;
using MeshFlow.AppHost.Infrastructure;

var builder = DistributedApplication.CreateBuilder(args);

var llm = builder.AddOptionalConnectionString("llm");
var infrastructure = builder.AddMeshFlowInfrastructure();

var api = builder.AddProject<Projects.MeshFlow_Api>("api")
    .WithInfrastructure(infrastructure)
    .WithOptionalReference(llm)
    .WithExternalHttpEndpoints()
    .WithHttpHealthCheck("/health");

if (infrastructure.HasWorkers)
{
    builder.AddProject<Projects.MeshFlow_Worker>("worker")
        .WithInfrastructure(infrastructure)
        .WithOptionalReference(llm)
        .WithReplicas(2)
        .WithHttpHealthCheck("/health");
}

builder.AddProject<Projects.MeshFlow_Dashboard>("dashboard")
    .WithReference(api)
    .WaitFor(api)
    .WithExternalHttpEndpoints()
    .WithHttpHealthCheck("/alive");

builder.Build().Run();
