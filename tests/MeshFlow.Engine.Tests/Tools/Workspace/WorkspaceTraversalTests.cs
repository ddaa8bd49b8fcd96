using System.Diagnostics;
using System.Runtime.Versioning;
using MeshFlow.Tests.Support;
using MeshFlow.Tests.Tools.Utility;
using MeshFlow.Tools.BuiltIn;

namespace MeshFlow.Tests.Tools.Workspace;

// read_file and write_file are Linux-only (openat2).
[SupportedOSPlatform("linux")]
public sealed class WorkspaceTraversalTests : IAsyncLifetime
{
    private readonly WorkspaceCanaries _workspace = new();

    // The run folder exists, as it does once a run has written anything.
    public async ValueTask InitializeAsync() => Assert.StartsWith("wrote", await WriteAsync("hello.txt", "hello"), StringComparison.Ordinal);

    public ValueTask DisposeAsync()
    {
        _workspace.Dispose();
        return ValueTask.CompletedTask;
    }

    public static TheoryData<string> Escapes =>
    [
        "..", "../x", "../canary.txt", "a/../../x", "a/../../../canary.txt", "/etc/passwd", "\\..\\", "..\\..\\canary.txt",
        "C:\\x", "c:/x", "~/.ssh/id_rsa", "~", "a\0b", "../../canary.txt\0.txt", "file:///etc/passwd", "file:../canary.txt",
        "../../../data-evil/canary.txt", "../run-2/canary.txt", "../../tenant-b/run-1/canary.txt", "./../canary.txt", "a/./../../b",
        "", "/", "a/", "a\u0007b", "x/" + new string('a', 300), string.Join('/', Enumerable.Repeat("abcdefgh", 200)),
    ];

    // Percent-escapes and look-alike dots are not decoded or normalised: they are literal names inside the workspace.
    public static TheoryData<string> LiteralNames =>
    [
        "%2e%2e/%2e%2e/canary.txt", "%252e%252e/%252e%252e/canary.txt", "..%2f..%2fcanary.txt", "%2E%2E%5C%2E%2E%5Ccanary.txt",
        "\uff0e\uff0e/\uff0e\uff0e/canary.txt", "\u2024\u2024/canary.txt", ".\u0307./canary.txt", "\u2025/canary.txt",
        "..\u200b/canary.txt", "...", "....//canary.txt",
    ];

    private Task<string> WriteAsync(string path, string content) =>
        _workspace.Write.CallAsync(new Dictionary<string, object?> { ["path"] = path, ["content"] = content }, _workspace.Run);

    private Task<string> ReadAsync(string path) => _workspace.Read.CallAsync(new Dictionary<string, object?> { ["path"] = path }, _workspace.Run);

    private async Task<string> ReadRefusedAsync(string path)
    {
        var message = await _workspace.Read.RefusedAsync(new Dictionary<string, object?> { ["path"] = path }, _workspace.Run);
        _workspace.AssertClean(message, path);
        Assert.StartsWith("read_file: ", message, StringComparison.Ordinal);
        return message;
    }

    private async Task<string> WriteRefusedAsync(string path, string content = "pwned")
    {
        var message = await _workspace.Write.RefusedAsync(new Dictionary<string, object?> { ["path"] = path, ["content"] = content }, _workspace.Run);
        _workspace.AssertClean(message, path);
        Assert.StartsWith("write_file: ", message, StringComparison.Ordinal);
        return message;
    }

    [Theory]
    [MemberData(nameof(Escapes))]
    public async Task Paths_that_leave_or_are_not_relative_are_refused_and_nothing_outside_is_read_or_changed(string path)
    {
        await ReadRefusedAsync(path);
        await WriteRefusedAsync(path);
        _workspace.AssertUntouched();
    }

    [Fact]
    public async Task The_absolute_path_of_a_canary_is_refused()
    {
        foreach (var canary in _workspace.CanaryPaths)
        {
            Assert.Contains("absolute paths are not allowed", await ReadRefusedAsync(canary), StringComparison.Ordinal);
            await WriteRefusedAsync(canary);
        }

        _workspace.AssertUntouched();
    }

    [Theory]
    [MemberData(nameof(LiteralNames))]
    public async Task Encoded_and_look_alike_dots_are_literal_names_inside_the_workspace(string path)
    {
        Assert.Contains("no such file", await ReadRefusedAsync(path), StringComparison.Ordinal);
        Assert.Equal("wrote 6 bytes to " + path, await WriteAsync(path, "inside"));
        Assert.Equal("inside", await ReadAsync(path));
        Assert.True(File.Exists(Path.Combine(_workspace.RunFolder, path)));
        _workspace.AssertUntouched();
    }

    [Theory]
    [InlineData("absolute-file", true, false)]
    [InlineData("relative-file", false, false)]
    [InlineData("absolute-folder", true, true)]
    [InlineData("relative-folder", false, true)]
    public async Task Symbolic_links_leading_out_are_not_followed(string name, bool absolute, bool folder)
    {
        var link = Path.Combine(_workspace.RunFolder, name);
        var target = folder ? _workspace.Evil : Path.Combine(_workspace.Base, "canary.txt");
        File.CreateSymbolicLink(link, absolute ? target : Path.GetRelativePath(_workspace.RunFolder, target));
        var path = folder ? name + "/canary.txt" : name;

        Assert.Contains("symbolic link", await ReadRefusedAsync(path), StringComparison.Ordinal);
        Assert.Contains("symbolic link", await WriteRefusedAsync(path), StringComparison.Ordinal);
        Assert.Contains("symbolic link", await WriteRefusedAsync(folder ? name + "/new/file.txt" : name), StringComparison.Ordinal);
        _workspace.AssertUntouched();
        Assert.False(File.Exists(Path.Combine(_workspace.Evil, "new", "file.txt")));
    }

    [Fact]
    public async Task A_symbolic_link_to_a_device_and_a_FIFO_are_refused_without_blocking()
    {
        File.CreateSymbolicLink(Path.Combine(_workspace.RunFolder, "zero"), "/dev/zero");
        Assert.Contains("symbolic link", await ReadRefusedAsync("zero"), StringComparison.Ordinal);
        Assert.Contains("symbolic link", await WriteRefusedAsync("zero"), StringComparison.Ordinal);

        await MakeFifoAsync(Path.Combine(_workspace.RunFolder, "pipe"));
        Assert.Contains("not a regular file", await ReadRefusedAsync("pipe"), StringComparison.Ordinal);
        Assert.Contains("not a regular file", await WriteRefusedAsync("pipe"), StringComparison.Ordinal);

        Directory.CreateDirectory(Path.Combine(_workspace.RunFolder, "sub"));
        Assert.Contains("names a folder", await ReadRefusedAsync("sub"), StringComparison.Ordinal);
        Assert.Contains("names a folder", await WriteRefusedAsync("sub"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_hard_link_to_a_file_outside_is_neither_read_nor_written()
    {
        var link = Path.Combine(_workspace.RunFolder, "linked.txt");
        await RunAsync("ln", Path.Combine(_workspace.Base, "canary.txt"), link);
        Assert.Contains("hard links", await ReadRefusedAsync("linked.txt"), StringComparison.Ordinal);
        Assert.Contains("hard links", await WriteRefusedAsync("linked.txt"), StringComparison.Ordinal);
        _workspace.AssertUntouched();
    }

    [Fact]
    public async Task A_tenant_or_run_folder_replaced_by_a_symbolic_link_is_not_followed()
    {
        File.CreateSymbolicLink(Path.Combine(_workspace.Root, "tenant-c"), _workspace.Evil);
        var run = new ToolInvocation("tenant-c", "run-1");
        var read = await _workspace.Read.RefusedAsync(new Dictionary<string, object?> { ["path"] = "canary.txt" }, run);
        var write = await _workspace.Write.RefusedAsync(new Dictionary<string, object?> { ["path"] = "canary.txt", ["content"] = "x" }, run);
        Assert.Contains("symbolic link", read, StringComparison.Ordinal);
        Assert.Contains("symbolic link", write, StringComparison.Ordinal);
        _workspace.AssertClean(read);
        _workspace.AssertUntouched();
    }

    [Fact]
    public async Task A_folder_swapped_for_a_symbolic_link_during_calls_never_lets_one_out()
    {
        var swap = Path.Combine(_workspace.RunFolder, "swap");
        var hidden = Path.Combine(_workspace.RunFolder, "hidden");
        Directory.CreateDirectory(swap);
        File.WriteAllText(Path.Combine(swap, "canary.txt"), "inside");
        using var stop = new CancellationTokenSource();
        var swaps = 0;
        var swapper = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                // A write may have made a real folder while the original was hidden: drop it so the swapping goes on.
                if (Directory.Exists(hidden) && Directory.Exists(swap) && new FileInfo(swap).LinkTarget is null)
                {
                    Try(() => Directory.Delete(swap, recursive: true));
                }

                Try(() => Directory.Move(swap, hidden));
                if (Try(() => File.CreateSymbolicLink(swap, _workspace.Evil)))
                {
                    swaps++;
                }

                Thread.Yield();
                if (new FileInfo(swap).LinkTarget is not null)
                {
                    Try(() => File.Delete(swap));
                }

                Try(() => Directory.Move(hidden, swap));
            }
        }, TestContext.Current.CancellationToken);

        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < 2_000; i++)
        {
            string outcome;
            try
            {
                outcome = i % 2 == 0 ? await ReadAsync("swap/canary.txt") : await WriteAsync("swap/canary.txt", "inside");
            }
            catch (BuiltInToolException refused)
            {
                outcome = refused.Message;
            }

            _workspace.AssertClean(outcome);
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        await stop.CancelAsync();
        await swapper.WaitAsync(TestTimeouts.Default, TestContext.Current.CancellationToken);
        Assert.True(swaps > 0, "the swapper never put the symlink in place");
        Assert.Contains(outcomes.Keys, outcome => outcome.Contains("symbolic link", StringComparison.Ordinal));
        _workspace.AssertUntouched();
        Assert.Equal(_workspace.Secret, File.ReadAllText(Path.Combine(_workspace.Evil, "canary.txt")));
    }

    [Fact]
    public async Task Files_over_the_size_cap_are_refused_and_an_oversized_write_leaves_nothing()
    {
        File.WriteAllText(Path.Combine(_workspace.RunFolder, "big.txt"), new string('x', WorkspaceCanaries.MaxFileBytes + 1));
        Assert.Contains("at most 4,096", await ReadRefusedAsync("big.txt"), StringComparison.Ordinal);

        Assert.Contains("at most 4,096", await WriteRefusedAsync("new/big.txt", new string('x', WorkspaceCanaries.MaxFileBytes + 1)), StringComparison.Ordinal);
        Assert.Contains("at most 4,096", await WriteRefusedAsync("new/wide.txt", new string('é', (WorkspaceCanaries.MaxFileBytes / 2) + 1)), StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(_workspace.RunFolder, "new")));

        Assert.Equal("wrote 4096 bytes to exact.txt", await WriteAsync("exact.txt", new string('é', WorkspaceCanaries.MaxFileBytes / 2)));
    }

    [Fact]
    public async Task A_binary_file_is_refused()
    {
        File.WriteAllBytes(Path.Combine(_workspace.RunFolder, "image.bin"), [0x89, 0x50, 0x4e, 0x47, 0xff, 0xfe, 0x00]);
        Assert.Contains("binary", await ReadRefusedAsync("image.bin"), StringComparison.Ordinal);
    }

    private static bool Try(Action action)
    {
        try
        {
            action();
            return true;
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private static Task MakeFifoAsync(string path) => RunAsync("mkfifo", path);

    private static async Task RunAsync(string program, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { UseShellExecute = false })!;
        await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TestTimeouts.Default);
        Assert.Equal(0, process.ExitCode);
    }
}
