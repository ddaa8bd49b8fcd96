using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MeshFlow.Testing.Providers;

/// <summary>
/// The loopback web server under every fake provider: Kestrel on a free port, quiet, with the routes the provider
/// maps. Each fake keeps what it was sent, so a test asserts on the wire request as well as on what the engine did.
/// </summary>
public abstract class FakeProviderServer : IAsyncDisposable
{
    private WebApplication? _app;

    /// <summary>The server's base address (<c>http://127.0.0.1:port/</c>).</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Starts the server with the routes <see cref="Map"/> adds.</summary>
    protected async Task StartCoreAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        Map(app);
        await app.StartAsync().ConfigureAwait(false);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.TrimEnd('/') + "/");
        _app = app;
    }

    /// <summary>Maps the provider's routes.</summary>
    protected abstract void Map(WebApplication app);

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync().ConfigureAwait(false);
        }

        GC.SuppressFinalize(this);
    }
}
