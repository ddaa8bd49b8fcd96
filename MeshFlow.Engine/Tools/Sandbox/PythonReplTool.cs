using System.Globalization;
using MeshFlow.Governance.Risk;
using MeshFlow.Tools.BuiltIn;

namespace MeshFlow.Tools.Sandbox;

/// <summary>
/// <c>python_repl(code)</c>: runs Python code with <c>python3 -I</c> in the sandbox and returns what it prints. A failure
/// (an exception, a limit reached, a signal) is an error carrying the last lines of its standard error.
/// </summary>
internal sealed class PythonReplTool(BuiltInToolOptions options) : BuiltInTool(
    BuiltInToolNames.PythonRepl,
    string.Create(CultureInfo.InvariantCulture,
        $"Runs a Python 3 program (its source in 'code', read as a script, not an interactive session) and returns what it prints to standard output (print the values you want). The sandbox has no network and only the standard library; the run's workspace files are readable, not writable, under /workspace; /scratch (also /tmp and the working directory) is the only writable folder ({options.Sandbox.MaxScratchBytes >> 20} MiB, empty at every call: nothing is kept between calls). Limits: {options.Sandbox.PythonTimeout.TotalSeconds:0.#} s wall-clock and CPU time, {options.Sandbox.MaxMemoryBytes >> 20} MiB of memory, {options.Sandbox.MaxProcesses} processes, about {Math.Min(options.Sandbox.MaxOutputBytes, OutputChars) / 1000} kB of output."),
    """
    {
      "type": "object",
      "properties": {
        "code": { "type": "string", "minLength": 1, "maxLength": 100000, "description": "The Python 3 source to run." }
      },
      "required": ["code"],
      "additionalProperties": false
    }
    """,
    RiskTier.Medium,
    options.Sandbox.PythonTimeout + TimeSpan.FromSeconds(2),
    OutputChars)
{
    private const int OutputChars = 20_000;

    private readonly SandboxRunner _runner = new(options.Sandbox);

    protected override async ValueTask<string> RunAsync(ToolArguments arguments, ToolInvocation invocation, CancellationToken cancellationToken)
    {
        var code = arguments.RequiredString("code");
        var workspace = WorkspacePaths.RunFolder(options.WorkspaceDirectory, invocation);
        var request = new SandboxRequest(
            options.Sandbox.PythonPath, ["-I", "-"], code, SandboxCommandLine.Scratch,
            Directory.Exists(workspace) ? workspace : null, options.Sandbox.PythonTimeout);
        var result = await _runner.RunAsync(request, cancellationToken).ConfigureAwait(false);
        return SandboxOutcome.Describe(Name, result, request.WallTimeout, failOnExitCode: true, MaxOutputChars);
    }
}
