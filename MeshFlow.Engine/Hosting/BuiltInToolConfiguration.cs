using MeshFlow.Tools.BuiltIn;
using Microsoft.Extensions.Configuration;

namespace MeshFlow.Hosting;

/// <summary>Reads the built-in tools' settings from a host's configuration.</summary>
public static class BuiltInToolConfiguration
{
    /// <summary>The built-in tools offered: <c>all</c> (the default), <c>none</c>, or a comma-separated list of names.</summary>
    public const string ToolsKey = "MESHFLOW_TOOLS";

    /// <summary>Set to <c>true</c> to let the network tools reach loopback and private addresses (development, tests).</summary>
    public const string AllowPrivateKey = "MESHFLOW_TOOLS_ALLOW_PRIVATE";

    /// <summary>Where <c>web_search</c> sends its query (a page in DuckDuckGo's HTML results format).</summary>
    public const string SearchUrlKey = "MESHFLOW_TOOLS_SEARCH_URL";

    /// <summary>The Python interpreter <c>python_repl</c> runs in its sandbox.</summary>
    public const string PythonKey = "MESHFLOW_TOOLS_PYTHON";

    /// <summary>The programs <c>shell</c> may run (comma-separated names).</summary>
    public const string ShellAllowKey = "MESHFLOW_TOOLS_SHELL_ALLOW";

    /// <summary>Applies the configuration's settings to <paramref name="options"/>.</summary>
    /// <exception cref="FormatException">A setting is malformed; the message names it.</exception>
    public static void Apply(IConfiguration? configuration, BuiltInToolOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (configuration is null)
        {
            return;
        }

        if (configuration[MeshFlowServiceCollectionExtensions.WorkspaceDirectoryKey] is { Length: > 0 } workspace)
        {
            options.WorkspaceDirectory = Path.GetFullPath(workspace);
        }

        if (configuration[ToolsKey] is { Length: > 0 } tools)
        {
            var names = tools.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            options.Enabled.Clear();
            if (names is ["all"])
            {
                options.Enabled.UnionWith(BuiltInToolNames.All);
            }
            else if (names is not ["none"])
            {
                foreach (var name in names)
                {
                    options.Enabled.Add(BuiltInToolNames.All.Contains(name, StringComparer.Ordinal)
                        ? name
                        : throw new FormatException($"{ToolsKey} names '{name}', which is not a built-in tool (all, none, or some of: {string.Join(", ", BuiltInToolNames.All)})"));
                }
            }
        }

        if (configuration[AllowPrivateKey] is { Length: > 0 } allow)
        {
            options.Network.AllowPrivateAddresses = bool.TryParse(allow, out var value)
                ? value
                : throw new FormatException($"{AllowPrivateKey} must be true or false, not '{allow}'");
        }

        if (configuration[SearchUrlKey] is { Length: > 0 } search)
        {
            options.Network.SearchEndpoint = Uri.TryCreate(search, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
                ? uri
                : throw new FormatException($"{SearchUrlKey} must be an absolute http or https URL, not '{search}'");
        }

        if (configuration[PythonKey] is { Length: > 0 } python)
        {
            options.Sandbox.PythonPath = python;
        }

        if (configuration[ShellAllowKey] is { } shell)
        {
            options.Sandbox.ShellPrograms.Clear();
            foreach (var program in shell.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                options.Sandbox.ShellPrograms.Add(program.Contains('/', StringComparison.Ordinal)
                    ? throw new FormatException($"{ShellAllowKey} lists programs by name, not by path: '{program}'")
                    : program);
            }
        }
    }
}
