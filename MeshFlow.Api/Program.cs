using MeshFlow.Api.Hosting;
using MeshFlow.ServiceDefaults.Startup;

return await ServiceStartup.RunAsync("MeshFlow.Api", args, async () =>
{
    var app = MeshFlowApiHost.Build(args);
    await MeshFlowApiHost.PrepareAsync(app);
    await app.RunAsync();
});

public partial class Program;
