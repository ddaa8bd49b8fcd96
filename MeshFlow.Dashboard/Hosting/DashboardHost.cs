using MeshFlow.Dashboard.ApiClient;
using MeshFlow.Dashboard.Components;
using MeshFlow.Dashboard.Export;
using MeshFlow.Dashboard.Health;
using MeshFlow.Dashboard.Session;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.FluentUI.AspNetCore.Components;

namespace MeshFlow.Dashboard.Hosting;

/// <summary>
/// The dashboard as a host anyone can start: its own <c>Program</c> and the browser tests build the same application
/// here, so they differ only in what <c>configure</c> adds (the API's address, ports).
/// </summary>
public static class DashboardHost
{
    /// <summary>The key a visitor without a cookie is signed in with (the AppHost sets it to the development key).</summary>
    public const string AutoSignInKey = "MESHFLOW_DASHBOARD_API_KEY";

    /// <summary>The authentication cookie's name.</summary>
    public const string CookieName = "meshflow-dashboard";

    /// <summary>Builds the dashboard: services, middleware and every page.</summary>
    /// <param name="args">Command-line arguments, read as configuration like any ASP.NET Core host's.</param>
    /// <param name="configure">Runs after the dashboard's own registrations and before the app is built.</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // The application name finds the static web assets manifest of this assembly even when a test process hosts it.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ApplicationName = typeof(DashboardHost).Assembly.GetName().Name,
        });

        builder.AddServiceDefaults();
        builder.AddMeshFlowApiClient();
        builder.AddMeshFlowDashboard();
        configure?.Invoke(builder);

        var app = builder.Build();

        if (!app.Environment.IsDevelopment())
        {
            app.UseExceptionHandler("/error", createScopeForErrors: true);
        }

        app.UseStatusCodePagesWithReExecute("/not-found");
        app.UseAuthentication();
        app.UseMiddleware<AutoSignInMiddleware>();
        app.UseAuthorization();
        app.UseAntiforgery();

        app.MapStaticAssets();
        app.MapDefaultEndpoints();
        app.MapSignInEndpoints();
        app.MapRunExportEndpoints();
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode();
        return app;
    }

    /// <summary>The dashboard's own services: components, Fluent UI, cookie sign-in, the session and the health monitor.</summary>
    public static IHostApplicationBuilder AddMeshFlowDashboard(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddRazorComponents().AddInteractiveServerComponents();
        builder.Services.AddFluentUIComponents();

        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options =>
            {
                options.Cookie.Name = CookieName;
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.LoginPath = "/signin";
                options.ExpireTimeSpan = TimeSpan.FromHours(8);
                options.SlidingExpiration = true;
            });
        builder.Services.AddAuthorization();
        builder.Services.AddCascadingAuthenticationState();

        builder.Services.AddScoped<DashboardSession>();
        builder.Services.AddScoped<IApiKeySource>(services => services.GetRequiredService<DashboardSession>());
        builder.Services.AddScoped<DashboardSignIn>();
        var healthInterval = ApiHealthMonitor.ReadInterval(builder.Configuration);
        builder.Services.AddHostedService(services => ActivatorUtilities.CreateInstance<ApiHealthMonitor>(services, healthInterval));
        return builder;
    }
}
