using MeshFlow.Dashboard.Hosting;

var app = DashboardHost.Build(args);
app.Run();
