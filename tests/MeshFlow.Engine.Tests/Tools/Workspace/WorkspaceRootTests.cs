using System.Runtime.Versioning;
using MeshFlow.Tools.BuiltIn;
using Microsoft.Extensions.AI;

namespace MeshFlow.Tests.Tools.Workspace;

/// <summary>
/// The workspace root must be the service's own real folder: under a shared folder such as /tmp, another user could
/// have put a symlink or an open folder at its name first.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class WorkspaceRootTests : IDisposable
{
    private readonly string _base = Directory.CreateTempSubdirectory("meshflow-root-").FullName;

    [Fact]
    public async Task A_workspace_root_that_is_a_symlink_is_refused_and_nothing_is_written_where_it_points()
    {
        var elsewhere = Directory.CreateDirectory(Path.Combine(_base, "elsewhere")).FullName;
        var root = Path.Combine(_base, "meshflow-workspace");
        File.CreateSymbolicLink(root, elsewhere);

        var message = await WriteRefusedAsync(root);

        Assert.Equal("write_file: the workspace folder is a symbolic link or not a folder; set MESHFLOW_WORKSPACE_DIR to a real folder", message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(elsewhere));
    }

    [Fact]
    public async Task A_workspace_root_others_may_write_in_is_refused()
    {
        var root = Directory.CreateDirectory(Path.Combine(_base, "open")).FullName;
        File.SetUnixFileMode(root, (UnixFileMode)0x1FF); // 0777

        var message = await WriteRefusedAsync(root);

        Assert.Equal("write_file: the workspace folder belongs to another user or others may write in it; set MESHFLOW_WORKSPACE_DIR to a folder of the service's own", message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(root));
    }

    public void Dispose() => Directory.Delete(_base, recursive: true);

    private static async Task<string> WriteRefusedAsync(string root)
    {
        var options = new BuiltInToolOptions { WorkspaceDirectory = root };
        options.Enabled.Clear();
        options.Enabled.Add(BuiltInToolNames.WriteFile);
        var write = Assert.Single(BuiltInTools.Create(options));
        var error = await Assert.ThrowsAsync<BuiltInToolException>(async () =>
            await write.InvokeAsync(new AIFunctionArguments { ["path"] = "notes.txt", ["content"] = "x" }, TestContext.Current.CancellationToken));
        return error.Message;
    }
}
