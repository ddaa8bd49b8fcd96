namespace MeshFlow.Dashboard.Session;

public static class SignInEndpoints
{
    /// <summary>Maps <c>POST /signout</c> (the sign-in page itself is a component) and <c>/</c>, which opens the runs.</summary>
    public static IEndpointRouteBuilder MapSignInEndpoints(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapPost("/signout", async (HttpContext context) =>
        {
            await DashboardSignIn.SignOutAsync(context).ConfigureAwait(false);
            return TypedResults.LocalRedirect("~/signin");
        }).WithName("SignOut");
        app.MapGet("/", () => TypedResults.LocalRedirect("~/runs")).WithName("Home");
        return app;
    }
}
