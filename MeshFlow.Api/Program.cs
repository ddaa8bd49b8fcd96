using MeshFlow.Api.Apis;
using MeshFlow.Api.Approvals;
using MeshFlow.Api.Governance;
using MeshFlow.Api.Hosting;
using MeshFlow.Api.Runs;
using MeshFlow.Api.Security;
using MeshFlow.Api.Streaming;
using MeshFlow.Api.Traces;
using MeshFlow.Hosting;
using MeshFlow.Runtime;

var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
// Kestrel's transport continues on the thread that completed the socket operation instead of queueing to its own
// I/O queues first: a streamed event is sent by the thread that relays it, one hand-off fewer per token (under
// streaming load its queueing was about a third of the API's share of a token's latency). "Unsafe" only when socket
// completions also run inline on the epoll thread (DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1), which MeshFlow
// does not set.
builder.WebHost.UseSockets(options => options.UnsafePreferInlineScheduling = true);

builder.AddMeshFlowApiSecurity();
builder.AddMeshFlowApiRuntime();
builder.Services.AddProblemDetails();
builder.Services.AddOpenApi(options => options.AddApiKeySecurity());

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

await app.Services.MigrateMeshFlowLedgerAsync();

// Connect the runtime (Redis in distributed mode) before the first request rather than inside it: a connection made
// lazily by concurrent first requests blocks thread-pool threads.
app.Services.GetRequiredService<IRunEventBus>();
app.Services.GetRequiredService<IRunQueue>();
await app.RunAsync();

public partial class Program;
