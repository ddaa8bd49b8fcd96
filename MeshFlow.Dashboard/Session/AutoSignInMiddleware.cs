using MeshFlow.Dashboard.Hosting;

namespace MeshFlow.Dashboard.Session;

/// <summary>
/// Signs a visitor without a cookie in with the configured key (<c>MESHFLOW_DASHBOARD_API_KEY</c>, which the AppHost
/// sets to the development key), so a local dashboard opens straight onto the runs. A visitor who signed out stays
/// signed out.
/// </summary>
public sealed class AutoSignInMiddleware(RequestDelegate next, IConfiguration configuration)
{
    public async Task InvokeAsync(HttpContext context, DashboardSignIn signIn)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(signIn);
        if (configuration[DashboardHost.AutoSignInKey] is { Length: > 0 } key
            && context.User.Identity?.IsAuthenticated != true
            && !context.Request.Cookies.ContainsKey(DashboardSignIn.SignedOutCookie)
            && HttpMethods.IsGet(context.Request.Method)
            && AcceptsHtml(context.Request))
        {
            // A key the API refuses (or an API that is down) leaves the visitor on the sign-in page, with its message.
            if (await signIn.SignInAsync(context, key, context.RequestAborted).ConfigureAwait(false) is null)
            {
                // The sign-in page itself has nothing to show a signed-in visitor: go where it would have gone.
                var target = context.Request.Path.StartsWithSegments(SignInPath)
                    ? LocalUrls.OrRuns(context.Request.Query["ReturnUrl"])
                    : context.Request.Path + context.Request.QueryString;
                context.Response.Redirect(context.Request.PathBase + target);
                return;
            }
        }

        await next(context).ConfigureAwait(false);
    }

    private static readonly PathString SignInPath = new("/signin");

    // Page navigations only: never the framework's script, style or SignalR requests.
    private static bool AcceptsHtml(HttpRequest request) =>
        request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);
}
