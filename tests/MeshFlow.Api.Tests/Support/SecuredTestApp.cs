using System.Net.Http.Headers;
using System.Security.Claims;
using System.Text.Json;
using MeshFlow.Api.Security;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MeshFlow.Api.Tests.Support;

/// <summary>
/// A minimal app wired exactly as <c>Program</c> wires the security layer, with endpoints the API does not have
/// yet: <c>GET /whoami</c> (the request's claims), <c>GET /admin</c> (the admin policy) and <c>POST /bound</c> (a
/// JSON body bound as a parameter).
/// </summary>
internal sealed class SecuredTestApp : IAsyncDisposable
{
    private readonly WebApplication _app;

    private SecuredTestApp(WebApplication app) => _app = app;

    public static async Task<SecuredTestApp> StartAsync(IReadOnlyDictionary<string, string?> settings)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Services.AddProblemDetails();
        builder.AddMeshFlowApiSecurity();

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseMeshFlowApiSecurity();

        app.MapGet("/whoami", (ClaimsPrincipal user) => new Dictionary<string, string>
        {
            ["tenant_id"] = user.GetTenantId(),
            ["role"] = user.GetRole(),
            ["key_id"] = user.GetKeyId(),
        });
        app.MapGet("/admin", () => "admitted").RequireAuthorization(MeshFlowClaims.AdminPolicy);
        app.MapPost("/bound", (JsonElement body) => body.ValueKind.ToString());

        await app.StartAsync(TestContext.Current.CancellationToken).WaitAsync(TestTimeouts.Default, TestContext.Current.CancellationToken);
        return new SecuredTestApp(app);
    }

    public HttpClient CreateClient(string? apiKey = null)
    {
        var client = _app.GetTestClient();
        if (apiKey is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }

        return client;
    }

    public ValueTask DisposeAsync() => _app.DisposeAsync();
}
