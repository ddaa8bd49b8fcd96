using System.Globalization;
using MeshFlow.Events;
using MeshFlow.Runtime;

namespace MeshFlow.Distributed.Tests.Support;

/// <summary>What the tests of the event bus's own Redis connections (publisher, subscriber) share.</summary>
internal static class OwnConnections
{
    /// <summary>The server's <c>CLIENT LIST</c>.</summary>
    public static async Task<string> ClientListAsync(RedisConnections connections, string connectionString)
    {
        var admin = await connections.ConnectAsync(connectionString, o => o.AllowAdmin = true);
        return (await admin.GetDatabase().ExecuteAsync("CLIENT", "LIST")).ToString();
    }

    /// <summary>The id of the one client named <paramref name="name"/> in <paramref name="clients"/>.</summary>
    public static string ClientId(string clients, string name) =>
        clients.Split('\n').Single(line => line.Contains($" name={name} ", StringComparison.Ordinal))
            .Split(' ').Single(field => field.StartsWith("id=", StringComparison.Ordinal))["id=".Length..];

    public static string NewRun() => "run-" + Guid.NewGuid().ToString("N");

    public static RunEventEnvelope Delta(long seq) => new(seq, MeshEventKinds.TokenDelta,
        string.Create(CultureInfo.InvariantCulture, $$$"""{"seq":{{{seq}}},"kind":"token_delta","data":{"text":"t{{{seq}}}"}}"""));
}
