using MeshFlow.Tests.Support;
using MeshFlow.Tools.BuiltIn;
using MeshFlow.Tools.Sandbox;
using Microsoft.Extensions.AI;

namespace MeshFlow.Tests.Tools.Sandbox;

/// <summary>
/// One test's sandbox: its own workspace root in a temporary folder, its own block of sandbox user ids, the two tools,
/// and the process-table check that nothing it started is left running.
/// </summary>
internal sealed class SandboxTestRun : IDisposable
{
    private static int _blocks;

    public SandboxTestRun(params string[] shellPrograms)
    {
        Root = Directory.CreateTempSubdirectory("meshflow-sandbox-test-").FullName;
        Options = new BuiltInToolOptions { WorkspaceDirectory = Path.Combine(Root, "workspaces") };

        // A block of ids no other test uses, so the leftover check sees only this test's sandboxes.
        Options.Sandbox.SandboxUidStart = 1_900_000_000 + (Environment.ProcessId % 1000 * 10_000) + (Interlocked.Increment(ref _blocks) * 100);
        Options.Sandbox.SandboxUidCount = 100;
        if (shellPrograms.Length > 0)
        {
            Options.Sandbox.ShellPrograms.Clear();
            foreach (var program in shellPrograms)
            {
                Options.Sandbox.ShellPrograms.Add(program);
            }
        }

        Invocation = new ToolInvocation("tenant-" + Guid.NewGuid().ToString("N")[..8], "run-" + Guid.NewGuid().ToString("N")[..8]);
        var tools = BuiltInTools.Create(Options);
        Python = tools.Single(t => t.Name == BuiltInToolNames.PythonRepl);
        Shell = tools.Single(t => t.Name == BuiltInToolNames.Shell);
    }

    public string Root { get; }

    public BuiltInToolOptions Options { get; }

    public ToolInvocation Invocation { get; }

    public BuiltInTool Python { get; }

    public BuiltInTool Shell { get; }

    public string Workspace => WorkspacePaths.RunFolder(Options.WorkspaceDirectory, Invocation);

    public string WriteWorkspaceFile(string name, string content)
    {
        Directory.CreateDirectory(Workspace);
        var path = Path.Combine(Workspace, name);
        File.WriteAllText(path, content);
        return path;
    }

    public Task<string> PythonAsync(string code) => InvokeAsync(Python, "code", code);

    public Task<string> ShellAsync(string command) => InvokeAsync(Shell, "command", command);

    /// <summary>Runs the call, expecting a refusal or failure, and returns its message.</summary>
    public static async Task<string> FailureAsync(Func<Task<string>> call)
    {
        var exception = await Assert.ThrowsAsync<BuiltInToolException>(call);
        return exception.Message;
    }

    /// <summary>
    /// No process under this test's sandbox ids, and no bubblewrap child of the test process running one of this test's
    /// sandboxes (other test classes run Python and, in parallel, sandboxes of their own).
    /// </summary>
    public void AssertNothingLeftRunning()
    {
        var start = Options.Sandbox.SandboxUidStart;
        bool Ours(int uid) => uid >= start && uid < start + Options.Sandbox.SandboxUidCount;
        var table = SandboxProcessTable.Snapshot();
        Assert.DoesNotContain(table, e => Ours(e.Uid));
        List<string[]> sandboxes = [.. table.Where(e => e.ParentPid == Environment.ProcessId && SandboxProcessTable.IsRunning(e.Pid))
            .Select(e => ReadCommandLine(e.Pid))
            .Where(arguments => arguments.Length > 0 && Path.GetFileName(arguments[0]) == "bwrap")
            .Where(arguments => !Environment.IsPrivilegedProcess || arguments.Any(a =>
                a.StartsWith("--reuid=", StringComparison.Ordinal) && int.TryParse(a["--reuid=".Length..], out var uid) && Ours(uid)))];
        Assert.Empty(sandboxes);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private async Task<string> InvokeAsync(BuiltInTool tool, string name, string value)
    {
        var arguments = new AIFunctionArguments { [name] = value };
        Invocation.AttachTo(arguments);
        var result = await tool.InvokeAsync(arguments, TestContext.Current.CancellationToken).AsTask().WaitAsync(TestTimeouts.Default);
        return Assert.IsType<string>(result);
    }

    private static string[] ReadCommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries);
        }
        catch (IOException)
        {
            return [];
        }
    }
}
