using MeshFlow.Api.Hosting;

var app = MeshFlowApiHost.Build(args);
await MeshFlowApiHost.PrepareAsync(app);
await app.RunAsync();

public partial class Program;
