using System.Diagnostics;
using System.Globalization;
using System.Runtime.Versioning;
using MeshFlow.Governance.Risk;
using MeshFlow.Tests.Tools.Utility;
using MeshFlow.Tools.BuiltIn;

namespace MeshFlow.Tests.Tools.Workspace;

// read_file and write_file are Linux-only (openat2).
[SupportedOSPlatform("linux")]
public sealed class WorkspaceFileTests : IDisposable
{
    private readonly WorkspaceCanaries _workspace = new();

    private Task<string> WriteAsync(string path, string content, ToolInvocation? run = null) =>
        _workspace.Write.CallAsync(new Dictionary<string, object?> { ["path"] = path, ["content"] = content }, run ?? _workspace.Run);

    private Task<string> ReadAsync(string path, ToolInvocation? run = null) =>
        _workspace.Read.CallAsync(new Dictionary<string, object?> { ["path"] = path }, run ?? _workspace.Run);

    [Fact]
    public async Task A_written_file_reads_back_in_nested_folders_and_an_overwrite_replaces_it()
    {
        Assert.Equal("wrote 14 bytes to notes/2026/summary.md", await WriteAsync("notes/2026/summary.md", "# Résumé\nok!"));
        Assert.Equal("# Résumé\nok!", await ReadAsync("notes/2026/summary.md"));
        Assert.Equal("wrote 3 bytes to notes//2026/./summary.md", await WriteAsync("notes//2026/./summary.md", "new"));
        Assert.Equal("new", await ReadAsync("./notes/2026/summary.md"));
        Assert.Equal("wrote 0 bytes to empty.txt", await WriteAsync("empty.txt", ""));
        Assert.Equal("", await ReadAsync("empty.txt"));
        _workspace.AssertUntouched();
    }

    [Fact]
    public async Task A_runs_files_are_the_service_accounts_and_only_the_sandboxes_group_reads_them()
    {
        await WriteAsync("a/b.txt", "x");

        const UnixFileMode Owner = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
        var file = Path.Combine(_workspace.RunFolder, "a", "b.txt");
        if (Environment.IsPrivilegedProcess)
        {
            // As root, the run's folder and what is in it belong to the workspace group, which sandboxes join to read it.
            const UnixFileMode GroupReads = UnixFileMode.GroupRead | UnixFileMode.GroupExecute;
            Assert.Equal(Owner | GroupReads, Mode(_workspace.RunFolder));
            Assert.Equal(Owner | GroupReads, Mode(Path.Combine(_workspace.RunFolder, "a")));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, Mode(file));
            foreach (var path in new[] { _workspace.RunFolder, Path.Combine(_workspace.RunFolder, "a"), file })
            {
                Assert.Equal(_workspace.Options.Sandbox.WorkspaceGroupId.ToString(CultureInfo.InvariantCulture), await GroupOfAsync(path));
            }
        }
        else
        {
            Assert.Equal(Owner, Mode(_workspace.RunFolder));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, Mode(file));
        }
    }

    private static UnixFileMode Mode(string path) => File.GetUnixFileMode(path) & (UnixFileMode)0x1FF;

    private static async Task<string> GroupOfAsync(string path)
    {
        using var stat = Process.Start(new ProcessStartInfo("stat", ["-c", "%g", path]) { RedirectStandardOutput = true })!;
        var output = await stat.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await stat.WaitForExitAsync(TestContext.Current.CancellationToken);
        return output.Trim();
    }

    [Fact]
    public async Task Two_runs_and_two_tenants_see_separate_workspaces()
    {
        var otherRun = new ToolInvocation("tenant-a", "run-9");
        var otherTenant = new ToolInvocation("tenant-z", "run-1");
        await WriteAsync("shared.txt", "run one");
        await WriteAsync("shared.txt", "run nine", otherRun);

        Assert.Equal("run one", await ReadAsync("shared.txt"));
        Assert.Equal("run nine", await ReadAsync("shared.txt", otherRun));
        var message = await _workspace.Read.RefusedAsync(new Dictionary<string, object?> { ["path"] = "shared.txt" }, otherTenant);
        Assert.Contains("no such file", message, StringComparison.Ordinal);

        // Ids that are not plain names get a hashed folder and still cannot reach a parent.
        var odd = new ToolInvocation("../tenant-a", "../../data-evil");
        await WriteAsync("shared.txt", "odd", odd);
        Assert.Equal("odd", await ReadAsync("shared.txt", odd));
        Assert.Equal("run one", await ReadAsync("shared.txt"));
        _workspace.AssertUntouched();
    }

    [Fact]
    public async Task Reading_before_anything_was_written_says_there_is_no_such_file()
    {
        var message = await _workspace.Read.RefusedAsync(new Dictionary<string, object?> { ["path"] = "missing.txt" }, new ToolInvocation("fresh", "run"));
        Assert.Equal("read_file: 'missing.txt': no such file in the run's workspace", message);
    }

    [Fact]
    public void The_tools_declare_their_tiers_and_closed_schemas()
    {
        Assert.Equal(RiskTier.Low, _workspace.Read.Risk);
        Assert.Equal(RiskTier.Medium, _workspace.Write.Risk);
        Assert.False(_workspace.Read.JsonSchema.GetProperty("additionalProperties").GetBoolean());
        Assert.False(_workspace.Write.JsonSchema.GetProperty("additionalProperties").GetBoolean());
        var names = BuiltInTools.Create(new BuiltInToolOptions()).Select(tool => tool.Name).ToHashSet();
        Assert.Superset(new HashSet<string> { "read_file", "write_file", "json_query", "datetime_now", "calculator" }, names);
    }

    public void Dispose() => _workspace.Dispose();
}
