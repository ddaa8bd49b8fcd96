using MeshFlow.Dashboard.Hosting;
using MeshFlow.ServiceDefaults.Startup;

// ServiceStartup turns a mistyped setting into one line naming it, as the API's start-up does.
return await ServiceStartup.RunAsync("MeshFlow.Dashboard", args, async () =>
{
    var app = DashboardHost.Build(args);
    await app.RunAsync();
});
