namespace MeshFlow.Cli.Dev;

/// <summary>
/// The banner the AppHost prints once the API is up: a line <c>MeshFlow is running.</c>, then lines
/// <c>  API:        &lt;url&gt;</c>, <c>  Dashboard:</c>, <c>  Aspire:</c>, <c>  API key:</c>, <c>  Key file:</c> and
/// <c>  Try:</c>. Reads the AppHost's output line by line and keeps the latest banner, to print again after a service
/// restarts.
/// </summary>
internal sealed class AppHostBanner
{
    /// <summary>The banner's first line.</summary>
    public const string Heading = "MeshFlow is running.";

    private const string ApiField = "API:";

    private static readonly string[] Fields = [ApiField, "Dashboard:", "Aspire:", "API key:", "Key file:", "Try:"];

    private List<string> _reading = [];
    private bool _open;

    /// <summary>The latest complete banner's lines, as printed; empty before the first.</summary>
    public IReadOnlyList<string> Lines { get; private set; } = [];

    /// <summary>The API's URL from the latest banner, or null.</summary>
    public Uri? ApiUrl { get; private set; }

    /// <summary>
    /// Reads one line of the AppHost's output; true when it starts a new banner. The banner's lines may be indented
    /// (a logger's prefix), so they are matched without their leading spaces.
    /// </summary>
    public bool Read(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var text = line.TrimStart();
        if (text.StartsWith(Heading, StringComparison.Ordinal))
        {
            _reading = [line];
            _open = true;
            Publish();
            return true;
        }

        if (_open && Fields.Any(f => text.StartsWith(f, StringComparison.Ordinal)))
        {
            _reading.Add(line);
            Publish();
        }
        else
        {
            _open = false;
        }

        return false;
    }

    private void Publish()
    {
        Lines = [.. _reading];
        var api = _reading.Select(l => l.TrimStart()).FirstOrDefault(l => l.StartsWith(ApiField, StringComparison.Ordinal));
        ApiUrl = api is not null && Uri.TryCreate(api[ApiField.Length..].Trim(), UriKind.Absolute, out var url) ? url : null;
    }
}
