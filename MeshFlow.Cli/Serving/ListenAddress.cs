using System.Net;

namespace MeshFlow.Cli.Serving;

/// <summary><c>--host</c>: <c>localhost</c> (the default), or an IP address such as <c>0.0.0.0</c> for every interface.</summary>
internal static class ListenAddress
{
    public const string Localhost = "localhost";

    /// <summary>The address to bind; null for localhost (both loopbacks).</summary>
    public static IPAddress? Parse(string host) => host switch
    {
        Localhost => null,
        "*" or "0.0.0.0" => IPAddress.Any,
        "::" or "[::]" => IPAddress.IPv6Any,
        _ when IPAddress.TryParse(host.Trim('[', ']'), out var address) => address,
        _ => throw new CliException($"--host '{host}' is not 'localhost' or an IP address (0.0.0.0 listens on every interface)", CliExitCodes.Usage),
    };
}
