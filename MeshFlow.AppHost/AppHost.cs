using MeshFlow.AppHost;

var builder = DistributedApplication.CreateBuilder(args);

var llm = builder.AddOptionalConnectionString("llm");

var api = builder.AddProject<Projects.MeshFlow_Api>("api")
    .WithOptionalReference(llm)
    .WithExternalHttpEndpoints()
    .WithHttpHealthCheck("/health");

builder.AddProject<Projects.MeshFlow_Worker>("worker")
    .WithOptionalReference(llm)
    .WithReplicas(2)
    .WithHttpHealthCheck("/health");

builder.AddProject<Projects.MeshFlow_Dashboard>("dashboard")
    .WithReference(api)
    .WaitFor(api)
    .WithExternalHttpEndpoints()
    .WithHttpHealthCheck("/alive");

builder.Build().Run();
