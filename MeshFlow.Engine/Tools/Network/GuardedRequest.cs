namespace MeshFlow.Tools.Network;

/// <summary>One request of a network tool, before the guarded client follows its redirects.</summary>
/// <param name="Tool">The tool making it, named in errors.</param>
/// <param name="Method">The method of the first hop.</param>
/// <param name="Url">The first hop's URL (absolute, http or https).</param>
internal sealed record GuardedRequest(string Tool, HttpMethod Method, Uri Url)
{
    /// <summary>Headers the tool itself sets (<c>Accept</c>): sent on every hop.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Headers the tool's caller supplied (<c>http_request</c>'s <c>headers</c>), already checked by the tool: sent only
    /// to the first hop's origin, since any of them may be a credential meant for that site alone.
    /// </summary>
    public IReadOnlyDictionary<string, string> CallerHeaders { get; init; } = new Dictionary<string, string>();

    /// <summary>The body, or null.</summary>
    public byte[]? Body { get; init; }

    /// <summary>The most body bytes read; null for the options' cap.</summary>
    public int? MaxResponseBytes { get; init; }

    /// <summary>Called before every hop, the first included (web_fetch checks robots.txt here).</summary>
    public Func<Uri, CancellationToken, ValueTask>? BeforeEachHop { get; init; }
}
