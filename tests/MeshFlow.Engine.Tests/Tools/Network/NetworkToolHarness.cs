using System.Net;
using MeshFlow.Tools.BuiltIn;
using MeshFlow.Tools.Network;
using Microsoft.Extensions.AI;

namespace MeshFlow.Tests.Tools.Network;

/// <summary>The three network tools made by their factory, with test settings, invoked as an engine invokes them.</summary>
internal sealed class NetworkToolHarness
{
    private readonly Dictionary<string, BuiltInTool> _tools;

    public NetworkToolHarness(Action<NetworkToolOptions>? configure = null, TimeProvider? time = null)
    {
        Options = new BuiltInToolOptions();

        // A generous rate, so tests that are not about the rate limit never wait for a slot.
        Options.Network.RequestsPerSecondPerHost = 10_000;
        Options.Network.RequestTimeout = TimeSpan.FromSeconds(10);
        configure?.Invoke(Options.Network);
        _tools = NetworkTools.Create(Options, time ?? TimeProvider.System).ToDictionary(tool => tool.Name);
    }

    public BuiltInToolOptions Options { get; }

    public BuiltInTool this[string name] => _tools[name];

    public static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>Lets the tools reach <paramref name="site"/> as though it were a public server.</summary>
    public static Action<NetworkToolOptions> Exempting(LocalSite site, Action<NetworkToolOptions>? more = null) => options =>
    {
        options.AllowedPrivateEndpoints.Add(new IPEndPoint(IPAddress.Loopback, site.Port));
        more?.Invoke(options);
    };

    public async Task<string> InvokeAsync(string tool, params (string Name, object? Value)[] arguments)
    {
        var args = new AIFunctionArguments(arguments.ToDictionary(pair => pair.Name, pair => pair.Value));
        var result = await _tools[tool].InvokeAsync(args, Token).AsTask().WaitAsync(Support.TestTimeouts.Default, Token);
        return Assert.IsType<string>(result);
    }

    public async Task<BuiltInToolException> RefusedAsync(string tool, params (string Name, object? Value)[] arguments) =>
        await Assert.ThrowsAsync<BuiltInToolException>(() => InvokeAsync(tool, arguments));
}
