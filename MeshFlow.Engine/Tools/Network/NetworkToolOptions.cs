using System.Net;

namespace MeshFlow.Tools.Network;

/// <summary>The address rules, endpoints and limits of <c>web_search</c>, <c>web_fetch</c> and <c>http_request</c>.</summary>
public sealed class NetworkToolOptions
{
    /// <summary>The default search endpoint: DuckDuckGo's HTML results page.</summary>
    public static readonly Uri DefaultSearchEndpoint = new("https://html.duckduckgo.com/html/");

    /// <summary>
    /// Allow loopback, private, link-local and metadata addresses (<c>MESHFLOW_TOOLS_ALLOW_PRIVATE=true</c>), for local
    /// development and tests; off by default.
    /// </summary>
    public bool AllowPrivateAddresses { get; set; }

    /// <summary>Where <c>web_search</c> sends its query (<c>MESHFLOW_TOOLS_SEARCH_URL</c>): a page in DuckDuckGo's HTML results format.</summary>
    public Uri SearchEndpoint { get; set; } = DefaultSearchEndpoint;

    /// <summary>The <c>User-Agent</c> the tools send, and the product token robots.txt groups are matched against.</summary>
    public string UserAgent { get; set; } = "MeshFlowBot/1.0 (+https://github.com/meshflow)";

    /// <summary>The largest response body read, in bytes (2 MiB); a longer one is cut and the result says so.</summary>
    public int MaxResponseBytes { get; set; } = 2 << 20;

    /// <summary>The most redirects followed (5); each is checked like the first request.</summary>
    public int MaxRedirects { get; set; } = 5;

    /// <summary>The most requests per second to one host (2).</summary>
    public double RequestsPerSecondPerHost { get; set; } = 2;

    /// <summary>How long a host's robots.txt is kept (24 hours, the most RFC 9309 allows).</summary>
    public TimeSpan RobotsCacheDuration { get; set; } = TimeSpan.FromHours(24);

    /// <summary>How long one request may take (15 s).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>
    /// Endpoints (address and port) the tools may reach although their address is private: an operator's internal
    /// service, or a test's local server standing in for a public one. Empty by default.
    /// </summary>
    public IList<IPEndPoint> AllowedPrivateEndpoints { get; } = [];

    /// <summary>The largest request body <c>http_request</c> sends, in bytes (1 MiB).</summary>
    public int MaxRequestBodyBytes { get; set; } = 1 << 20;

    /// <summary>Resolves host names (DNS when null); tests use it to make a name resolve to loopback.</summary>
    public Func<string, CancellationToken, Task<IPAddress[]>>? Resolve { get; set; }
}
