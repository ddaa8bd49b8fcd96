using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Diagnostics;

namespace MeshFlow.Dashboard.Session;

public static class SignInEndpoints
{
    /// <summary>Maps <c>POST /signout</c> (the sign-in page itself is a component) and <c>/</c>, which opens the runs.</summary>
    public static IEndpointRouteBuilder MapSignInEndpoints(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // The handler binds no form, so nothing checks the antiforgery token unless it does: without the check, any
        // site could sign a visitor out with a form that posts here.
        app.MapPost("/signout", async (HttpContext context, IAntiforgery antiforgery) =>
        {
            if (!await antiforgery.IsRequestValidAsync(context).ConfigureAwait(false))
            {
                // Re-executing a POST on the not-found page would fail its own antiforgery check: the 400 goes as it is.
                if (context.Features.Get<IStatusCodePagesFeature>() is { } statusCodePages)
                {
                    statusCodePages.Enabled = false;
                }

                return Results.BadRequest();
            }

            await DashboardSignIn.SignOutAsync(context).ConfigureAwait(false);
            return Results.LocalRedirect("~/signin");
        }).WithName("SignOut");
        app.MapGet("/", () => TypedResults.LocalRedirect("~/runs")).WithName("Home");
        return app;
    }
}
