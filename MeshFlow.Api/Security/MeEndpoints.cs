using Microsoft.AspNetCore.Http.HttpResults;

namespace MeshFlow.Api.Security;

/// <summary><c>GET /me</c>: lets a client check a key and learn its tenant and role (whether it may approve).</summary>
public static class MeEndpoints
{
    /// <summary>Maps <c>GET /me</c>; like every route but the probes, it needs a key.</summary>
    public static IEndpointRouteBuilder MapMeEndpoints(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/me", Get).WithTags("Security").WithName("GetCaller")
            .WithSummary("The calling key's tenant and role (user, reviewer or admin; reviewer and admin keys may approve). "
                + "A wrong or missing key is a 401 problem.")
            .ProducesProblem(StatusCodes.Status401Unauthorized);
        return app;
    }

    /// <summary><c>GET /me</c>.</summary>
    public static Ok<CallerView> Get(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return TypedResults.Ok(new CallerView(context.User.GetTenantId(), context.User.GetRole()));
    }
}
