using MeshFlow.AppHost;
using MeshFlow.AppHost.ApiKeys;
using MeshFlow.AppHost.Banner;
using MeshFlow.AppHost.Infrastructure;

var builder = DistributedApplication.CreateBuilder(args);

var llm = builder.AddLlmConnections();
var infrastructure = builder.AddMeshFlowInfrastructure();
var apiKeys = builder.AddApiKeys();

var api = builder.AddProject<Projects.MeshFlow_Api>("api")
    .WithInfrastructure(infrastructure)
    .WithLlmConnections(llm)
    .WithApiKeys(apiKeys)
    .WithExternalHttpEndpoints()
    .WithHttpHealthCheck("/health");

// Approval links in pause notifications point at the api; webhook secrets and the private-address switch reach every
// process that may deliver a notification.
var approvals = builder.AddApprovalSettings();
var tools = builder.AddToolSettings();
api.WithEnvironment("MESHFLOW_PUBLIC_URL", api.GetEndpoint("http")).WithApprovalSettings(approvals).WithToolSettings(tools);

if (infrastructure.HasWorkers)
{
    builder.AddProject<Projects.MeshFlow_Worker>("worker")
        .WithInfrastructure(infrastructure)
        .WithLlmConnections(llm)
        .WithEnvironment("MESHFLOW_PUBLIC_URL", api.GetEndpoint("http"))
        .WithApprovalSettings(approvals)
        .WithToolSettings(tools)
        .WithReplicas(2)
        .WithHttpHealthCheck("/health");
}

var dashboard = builder.AddProject<Projects.MeshFlow_Dashboard>("dashboard")
    .WithReference(api)
    .WaitFor(api)
    .WithDevelopmentSignIn(apiKeys)
    .WithExternalHttpEndpoints()
    .WithHttpHealthCheck("/alive");

// Where everything is, and the key to call the api with, once it is up.
api.WithRunningBanner(dashboard, apiKeys);

builder.Build().Run();
