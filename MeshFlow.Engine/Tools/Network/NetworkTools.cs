using MeshFlow.Tools.BuiltIn;

namespace MeshFlow.Tools.Network;

/// <summary>Makes web_search, web_fetch and http_request, sharing one guarded client, rate limit and robots.txt cache.</summary>
internal static class NetworkTools
{
    public static IEnumerable<BuiltInTool> Create(BuiltInToolOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        var network = options.Network;
        var client = new GuardedHttpClient(network, time);
        var robots = new RobotsCache(client, network, time);
        return [new WebSearchTool(client, network), new WebFetchTool(client, robots), new HttpRequestTool(client, network)];
    }
}
