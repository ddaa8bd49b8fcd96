namespace MeshFlow.Api.Apis;

public static class HealthEndpoints
{
    public static IEndpointRouteBuilder MapHealthEndpoints(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);

        app.MapServiceHealth()
            .WithName("GetHealth")
            .WithSummary("Reports whether the API is healthy, which stores it uses, its version and uptime.")
            .WithTags("Health")
            .AllowAnonymous();

        return app;
    }
}
