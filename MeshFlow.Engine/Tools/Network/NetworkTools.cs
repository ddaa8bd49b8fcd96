using MeshFlow.Tools.BuiltIn;

namespace MeshFlow.Tools.Network;

/// <summary>Makes web_search, web_fetch and http_request.</summary>
internal static class NetworkTools
{
    public static IEnumerable<BuiltInTool> Create(BuiltInToolOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        return [];
    }
}
