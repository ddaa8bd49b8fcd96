namespace MeshFlow.Tools.BuiltIn;

/// <summary>The names workflows use for the built-in tools (<c>tools: [web_search, python_repl]</c>).</summary>
public static class BuiltInToolNames
{
    /// <summary>Searches the web (DuckDuckGo's HTML results page): <c>{title, url, snippet}</c> per result.</summary>
    public const string WebSearch = "web_search";

    /// <summary>Fetches a page and returns its readable text, honouring robots.txt.</summary>
    public const string WebFetch = "web_fetch";

    /// <summary>A generic HTTP call under the same address rules and caps.</summary>
    public const string HttpRequest = "http_request";

    /// <summary>Runs Python code in a sandbox without network.</summary>
    public const string PythonRepl = "python_repl";

    /// <summary>Reads a file of the run's workspace.</summary>
    public const string ReadFile = "read_file";

    /// <summary>Writes a file of the run's workspace.</summary>
    public const string WriteFile = "write_file";

    /// <summary>Runs an allow-listed program, without a shell, in the sandbox.</summary>
    public const string Shell = "shell";

    /// <summary>A JSONPath or JMESPath query over a JSON text.</summary>
    public const string JsonQuery = "json_query";

    /// <summary>The current date and time in a time zone, in ISO 8601.</summary>
    public const string DateTimeNow = "datetime_now";

    /// <summary>Evaluates an arithmetic expression.</summary>
    public const string Calculator = "calculator";

    /// <summary>Every built-in tool's name.</summary>
    public static IReadOnlyList<string> All { get; } =
        [WebSearch, WebFetch, HttpRequest, PythonRepl, ReadFile, WriteFile, Shell, JsonQuery, DateTimeNow, Calculator];
}
