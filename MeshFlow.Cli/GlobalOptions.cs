using System.CommandLine;
using MeshFlow.Cli.Client;

namespace MeshFlow.Cli;

/// <summary>The options every command accepts (recursive on the root command).</summary>
public sealed class GlobalOptions
{
    /// <summary>The environment variable naming the server.</summary>
    public const string UrlVariable = "MESHFLOW_URL";

    /// <summary>The environment variable holding the API key.</summary>
    public const string ApiKeyVariable = "MESHFLOW_API_KEY";

    /// <summary><c>--url</c>: the MeshFlow API to talk to; unset (and no <c>MESHFLOW_URL</c>): embedded, no server.</summary>
    public Option<string?> Url { get; } = new("--url")
    {
        Description = $"The MeshFlow API to use (default: ${UrlVariable}; unset: run embedded, with no server)",
        Recursive = true,
    };

    /// <summary><c>--api-key</c>.</summary>
    public Option<string?> ApiKey { get; } = new("--api-key")
    {
        Description = $"The API key to send (default: ${ApiKeyVariable})",
        Recursive = true,
    };

    /// <summary><c>--data-dir</c>: embedded mode's folder (the SQLite ledger and its keys).</summary>
    public Option<string?> DataDirectory { get; } = new("--data-dir")
    {
        Description = "Embedded mode's data folder: the ledger and its signing keys (default: $MESHFLOW_DATA_DIR, else ./.meshflow)",
        Recursive = true,
    };

    /// <summary><c>--verbose</c>: errors with their stack traces.</summary>
    public Option<bool> Verbose { get; } = new("--verbose")
    {
        Description = "Show the full error (with its stack trace) when a command fails",
        Recursive = true,
    };

    /// <summary>Adds the options to the root command.</summary>
    public void AddTo(RootCommand root)
    {
        ArgumentNullException.ThrowIfNull(root);
        root.Options.Add(Url);
        root.Options.Add(ApiKey);
        root.Options.Add(DataDirectory);
        root.Options.Add(Verbose);
    }

    /// <summary>The server URL from <c>--url</c> or <c>MESHFLOW_URL</c>, or null for embedded mode.</summary>
    public string? ServerUrl(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return parse.GetValue(Url) is { Length: > 0 } url ? url
            : Environment.GetEnvironmentVariable(UrlVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment
            : null;
    }

    /// <summary>The API key from <c>--api-key</c> or <c>MESHFLOW_API_KEY</c>.</summary>
    public string? Key(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return parse.GetValue(ApiKey) is { Length: > 0 } key ? key
            : Environment.GetEnvironmentVariable(ApiKeyVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment
            : null;
    }

    /// <summary>Embedded mode's data folder.</summary>
    public string DataDirectoryPath(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return parse.GetValue(DataDirectory) is { Length: > 0 } folder ? folder
            : Environment.GetEnvironmentVariable("MESHFLOW_DATA_DIR") is { Length: > 0 } fromEnvironment ? fromEnvironment
            : Hosting.MeshFlowLedgerServiceCollectionExtensions.DefaultDataDirectory;
    }

    /// <summary>A client of the server named by <c>--url</c> or <c>MESHFLOW_URL</c>, or null in embedded mode.</summary>
    internal MeshFlowClient? Client(ParseResult parse) => ServerUrl(parse) is { } url ? new MeshFlowClient(url, Key(parse)) : null;

    /// <summary>A client of the server, for commands that only a server can answer.</summary>
    /// <param name="parse">The command line.</param>
    /// <param name="command">The command, as the user typed it (<c>meshflow admin agents list</c>).</param>
    internal MeshFlowClient RequireClient(ParseResult parse, string command) =>
        Client(parse) ?? throw new CliException(
            $"'{command}' asks a MeshFlow server: pass --url (or set {UrlVariable}), e.g. --url http://localhost:5180 for 'meshflow serve'",
            CliExitCodes.Usage);
}
