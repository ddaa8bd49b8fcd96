using System.Globalization;
using MeshFlow.Governance.Risk;
using MeshFlow.Tools.BuiltIn;

namespace MeshFlow.Tools.Sandbox;

/// <summary>
/// <c>shell(command)</c>: runs one allow-listed program in the sandbox, with no shell: the command line is split into
/// arguments (<see cref="ShellCommandLine"/>), checked (<see cref="ShellArgumentRules"/>) and given to the program as
/// they are.
/// </summary>
internal sealed class ShellTool(BuiltInToolOptions options) : BuiltInTool(
    BuiltInToolNames.Shell,
    string.Create(CultureInfo.InvariantCulture,
        $"Runs one program from this list: {string.Join(", ", options.Sandbox.ShellPrograms)}, with arguments, and returns its output. There is no shell: quotes group words, but ; && | > < $( ) ` * ~ are passed as plain characters, so pipes, redirections, variables and globs do not work (run one program per call). Options that write files or run programs (such as --output, -o of sort, -exec) are refused. It runs in a sandbox without network; the working directory is the run's workspace, /workspace (read-only), or /scratch when the run has none; the limit is {options.Sandbox.ShellTimeout.TotalSeconds:0.#} s."),
    """
    {
      "type": "object",
      "properties": {
        "command": { "type": "string", "minLength": 1, "maxLength": 10000, "description": "The program and its arguments, as on a command line, e.g. \"grep -c error /workspace/app.log\"." }
      },
      "required": ["command"],
      "additionalProperties": false
    }
    """,
    RiskTier.Medium,
    options.Sandbox.ShellTimeout + TimeSpan.FromSeconds(2),
    20_000)
{
    private readonly SandboxRunner _runner = new(options.Sandbox);

    protected override async ValueTask<string> RunAsync(ToolArguments arguments, ToolInvocation invocation, CancellationToken cancellationToken)
    {
        var words = ShellCommandLine.Split(arguments.RequiredString("command"));
        var program = Resolve(words[0]);
        var rest = words.Skip(1).ToArray();
        ShellArgumentRules.Check(Path.GetFileName(program), rest);

        var workspace = WorkspacePaths.RunFolder(options.WorkspaceDirectory, invocation);
        var hasWorkspace = Directory.Exists(workspace);
        var request = new SandboxRequest(
            program, rest, null, hasWorkspace ? SandboxCommandLine.Workspace : SandboxCommandLine.Scratch,
            hasWorkspace ? workspace : null, options.Sandbox.ShellTimeout);
        var result = await _runner.RunAsync(request, cancellationToken).ConfigureAwait(false);
        return SandboxOutcome.Describe(Name, result, request.WallTimeout, failOnExitCode: false, MaxOutputChars);
    }

    // A bare name on the allow-list, found in the sandbox's /usr/bin (its /bin is a link to it).
    private string Resolve(string name)
    {
        var allowed = options.Sandbox.ShellPrograms;
        var isName = name.Length is > 0 and <= 64 && name != "." && name != ".." &&
            name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' or '+');
        if (!isName || !allowed.Contains(name, StringComparer.Ordinal))
        {
            throw new BuiltInToolException($"shell: '{(name.Length > 64 ? name[..64] : name)}' is not an allowed program; allowed: {string.Join(", ", allowed)}");
        }

        var path = "/usr/bin/" + name;
        return File.Exists(path) ? path : throw new BuiltInToolException($"shell: '{name}' is allowed but not installed");
    }
}
