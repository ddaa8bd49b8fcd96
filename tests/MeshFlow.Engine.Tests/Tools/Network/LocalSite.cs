using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MeshFlow.Tests.Tools.Network;

/// <summary>A web site on loopback (Kestrel) answering each path as a test tells it, and counting the requests per path.</summary>
internal sealed class LocalSite : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Func<HttpContext, Task>> _routes = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _hits = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(string Method, string Target, IReadOnlyDictionary<string, string> Headers, string Body)> _requests = new();

    private LocalSite(WebApplication app) => _app = app;

    public Uri BaseAddress { get; private set; } = null!;

    public int Port => BaseAddress.Port;

    public IReadOnlyList<(string Method, string Target, IReadOnlyDictionary<string, string> Headers, string Body)> Requests => [.. _requests];

    public static async Task<LocalSite> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var site = new LocalSite(app);
        app.Run(site.HandleAsync);
        await app.StartAsync();
        site.BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return site;
    }

    public Uri Url(string pathAndQuery) => new(BaseAddress, pathAndQuery);

    /// <summary>Answers <paramref name="path"/> with <paramref name="handler"/>.</summary>
    public LocalSite On(string path, Func<HttpContext, Task> handler)
    {
        _routes[path] = handler;
        return this;
    }

    /// <summary>Answers <paramref name="path"/> with a status, a content type and a body.</summary>
    public LocalSite On(string path, int status, string contentType, string body) => On(path, context =>
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = contentType;
        return context.Response.WriteAsync(body);
    });

    /// <summary>Answers <paramref name="path"/> with a redirect to <paramref name="location"/>.</summary>
    public LocalSite Redirect(string path, string location, int status = StatusCodes.Status302Found) => On(path, context =>
    {
        context.Response.StatusCode = status;
        context.Response.Headers.Location = location;
        return Task.CompletedTask;
    });

    public int Hits(string path) => _hits.TryGetValue(path, out var hits) ? hits : 0;

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        _hits.AddOrUpdate(path, 1, (_, hits) => hits + 1);
        // The body is recorded and then rewound, so a handler reads it too.
        context.Request.EnableBuffering();
        using var reader = new StreamReader(context.Request.Body, leaveOpen: true);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        context.Request.Body.Position = 0;
        // Kestrel reuses a request's header collection after it ends: the test keeps a copy.
        var headers = context.Request.Headers.ToDictionary(pair => pair.Key, pair => pair.Value.ToString(), StringComparer.OrdinalIgnoreCase);
        _requests.Enqueue((context.Request.Method, path + context.Request.QueryString, headers, body));
        if (_routes.TryGetValue(path, out var handler))
        {
            await handler(context);
        }
        else
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
        }
    }
}
