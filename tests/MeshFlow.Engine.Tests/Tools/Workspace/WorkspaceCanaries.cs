using MeshFlow.Tools.BuiltIn;
using MeshFlow.Tools.Workspace;

namespace MeshFlow.Tests.Tools.Workspace;

/// <summary>
/// A workspace root in a fresh temporary folder, with canary files where a confined tool must never reach: beside the
/// root, in a sibling-prefix folder (<c>&lt;root&gt;-evil</c>), at the root and the tenant folder above the run, and in
/// another run's and another tenant's workspace. Each canary's content and modification time are recorded.
/// </summary>
internal sealed class WorkspaceCanaries : IDisposable
{
    public const int MaxFileBytes = 4_096;

    private readonly Dictionary<string, (string Content, DateTime Modified)> _canaries = [];

    public WorkspaceCanaries()
    {
        Base = Path.Combine(Path.GetTempPath(), "meshflow-ws-" + Guid.NewGuid().ToString("N"));
        Root = Path.Combine(Base, "data");
        Evil = Root + "-evil";
        Directory.CreateDirectory(Evil);
        Directory.CreateDirectory(Path.Combine(Root, "tenant-a", "run-2"));
        Directory.CreateDirectory(Path.Combine(Root, "tenant-b", "run-1"));
        Secret = "CANARY-" + Guid.NewGuid().ToString("N");
        foreach (var path in new[]
                 {
                     Path.Combine(Base, "canary.txt"), Path.Combine(Evil, "canary.txt"), Path.Combine(Root, "canary.txt"),
                     Path.Combine(Root, "tenant-a", "canary.txt"), Path.Combine(Root, "tenant-a", "run-2", "canary.txt"),
                     Path.Combine(Root, "tenant-b", "run-1", "canary.txt"),
                 })
        {
            File.WriteAllText(path, Secret);
            File.SetLastWriteTimeUtc(path, new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc));
            _canaries[path] = (Secret, File.GetLastWriteTimeUtc(path));
        }

        Options = new BuiltInToolOptions { WorkspaceDirectory = Root, MaxFileBytes = MaxFileBytes };
        Read = new ReadFileTool(Options);
        Write = new WriteFileTool(Options);
    }

    /// <summary>The temporary folder holding everything.</summary>
    public string Base { get; }

    /// <summary>The workspace root (<see cref="BuiltInToolOptions.WorkspaceDirectory"/>).</summary>
    public string Root { get; }

    /// <summary>The sibling-prefix folder beside the root.</summary>
    public string Evil { get; }

    /// <summary>The canaries' content; it must never appear in a tool's output or message.</summary>
    public string Secret { get; }

    public BuiltInToolOptions Options { get; }

    public ReadFileTool Read { get; }

    public WriteFileTool Write { get; }

    /// <summary>The run the tests call for.</summary>
    public ToolInvocation Run { get; } = new("tenant-a", "run-1");

    /// <summary>The run's folder on disk (made by a first write).</summary>
    public string RunFolder => WorkspacePaths.RunFolder(Root, Run);

    public IReadOnlyCollection<string> CanaryPaths => _canaries.Keys;

    /// <summary>Every canary still has its content and modification time.</summary>
    public void AssertUntouched()
    {
        foreach (var (path, (content, modified)) in _canaries)
        {
            Assert.Equal(content, File.ReadAllText(path));
            Assert.Equal(modified, File.GetLastWriteTimeUtc(path));
        }
    }

    /// <summary>A tool's output or message reveals neither a canary nor a host path other than the one the call gave.</summary>
    public void AssertClean(string text, string given = "")
    {
        Assert.DoesNotContain(Secret, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Base, given.Length == 0 ? text : text.Replace(given, "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Base, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temporary folder does not fail a test.
        }
    }
}
