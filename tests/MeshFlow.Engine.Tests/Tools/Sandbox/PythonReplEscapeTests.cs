using System.Net;
using System.Net.Sockets;

namespace MeshFlow.Tests.Tools.Sandbox;

/// <summary>
/// The sandbox's attack corpus, through python_repl with the real bubblewrap: each attempt is contained, reported as an
/// error (or harmless), shows nothing from outside the sandbox, and leaves no process behind.
/// </summary>
[Collection(nameof(OneSandboxAtATime))]
public sealed class PythonReplEscapeTests : IDisposable
{
    private readonly SandboxTestRun _run = new();

    public void Dispose() => _run.Dispose();

    [Fact]
    public async Task An_infinite_loop_is_stopped_at_the_time_limit()
    {
        var message = await SandboxTestRun.FailureAsync(() => _run.PythonAsync("while True:\n    pass"));

        Assert.Contains("limit", message, StringComparison.Ordinal);
        _run.AssertNothingLeftRunning();
    }

    [Fact]
    public async Task A_fork_bomb_is_held_to_the_process_limit_and_its_whole_tree_is_killed()
    {
        const string Bomb = """
            import os
            while True:
                try:
                    os.fork()
                except OSError:
                    pass
            """;

        var message = await SandboxTestRun.FailureAsync(() => _run.PythonAsync(Bomb));

        Assert.Contains("limit", message, StringComparison.Ordinal);
        _run.AssertNothingLeftRunning();
    }

    [Fact]
    public async Task A_sleeping_program_is_stopped_at_the_wall_clock_limit()
    {
        var message = await SandboxTestRun.FailureAsync(() => _run.PythonAsync("import time\ntime.sleep(60)"));

        Assert.StartsWith("python_repl: the program ran past its 5 s limit and was stopped", message, StringComparison.Ordinal);
        _run.AssertNothingLeftRunning();
    }

    [Fact]
    public async Task A_detached_child_dies_with_the_program()
    {
        const string Code = """
            import os, time
            if os.fork() == 0:
                os.setsid()
                if os.fork() == 0:
                    time.sleep(60)
                os._exit(0)
            print("parent done")
            """;

        Assert.Equal("parent done\n", await _run.PythonAsync(Code));
        _run.AssertNothingLeftRunning();
    }

    [Fact]
    public async Task A_call_cancelled_by_its_step_kills_the_sandbox()
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cancel.CancelAfter(TimeSpan.FromSeconds(1));
        var arguments = new Microsoft.Extensions.AI.AIFunctionArguments { ["code"] = "import os, time\nos.fork()\ntime.sleep(60)" };
        _run.Invocation.AttachTo(arguments);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _run.Python.InvokeAsync(arguments, cancel.Token).AsTask().WaitAsync(Support.TestTimeouts.Default));

        _run.AssertNothingLeftRunning();
    }

    [Fact]
    public async Task A_10_GB_allocation_fails_with_a_memory_error()
    {
        var message = await SandboxTestRun.FailureAsync(() => _run.PythonAsync("data = bytearray(10 * 1024 ** 3)"));

        Assert.Contains("MemoryError", message, StringComparison.Ordinal);
        _run.AssertNothingLeftRunning();
    }

    [Theory]
    [InlineData("/scratch/big")]
    [InlineData("/tmp/big")]
    public async Task A_1_GB_write_stops_at_the_scratch_folder_size(string path)
    {
        var code = $$"""
            chunk = b"x" * (1 << 20)
            with open("{{path}}", "wb") as f:
                for _ in range(1024):
                    f.write(chunk)
            """;

        var message = await SandboxTestRun.FailureAsync(() => _run.PythonAsync(code));

        Assert.Matches("No space left on device|File too large|SIGXFSZ", message);
        _run.AssertNothingLeftRunning();
    }

    [Theory]
    [InlineData("1.1.1.1", 80)]
    [InlineData("8.8.8.8", 53)]
    public async Task A_socket_to_the_internet_cannot_connect(string host, int port)
    {
        var message = await SandboxTestRun.FailureAsync(() => _run.PythonAsync(
            $"import socket\nsocket.create_connection((\"{host}\", {port}), timeout=2)"));

        Assert.Contains("OSError", message, StringComparison.Ordinal);
        _run.AssertNothingLeftRunning();
    }

    [Fact]
    public async Task A_socket_to_the_host_loopback_reaches_no_listener()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        // The sandbox's loopback is its own: the connection is refused there, never reaching the host's listener.
        var message = await SandboxTestRun.FailureAsync(() => _run.PythonAsync(
            $"import socket\nsocket.create_connection((\"127.0.0.1\", {port}), timeout=2)"));

        Assert.Contains("Error", message, StringComparison.Ordinal);
        Assert.False(listener.Pending());
        _run.AssertNothingLeftRunning();
    }

    [Fact]
    public async Task The_services_environment_is_not_visible()
    {
        var canary = "canary-" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable("MESHFLOW_SANDBOX_TEST_CANARY", canary);
        try
        {
            var output = await _run.PythonAsync("import os\nprint(dict(os.environ))");

            Assert.DoesNotContain(canary, output, StringComparison.Ordinal);
            Assert.DoesNotContain("MESHFLOW", output, StringComparison.Ordinal);
            Assert.Contains("'HOME': '/scratch'", output, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("MESHFLOW_SANDBOX_TEST_CANARY", null);
        }

        _run.AssertNothingLeftRunning();
    }

    [Theory]
    [InlineData("/proc/1/environ")]
    [InlineData("/proc/self/../1/environ")]
    public async Task The_sandbox_inits_environment_is_unreadable(string path)
    {
        var canary = "canary-" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable("MESHFLOW_SANDBOX_TEST_CANARY", canary);
        try
        {
            var message = await SandboxTestRun.FailureAsync(() => _run.PythonAsync($"print(open(\"{path}\", \"rb\").read())"));

            Assert.Contains("PermissionError", message, StringComparison.Ordinal);
            Assert.DoesNotContain(canary, message, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("MESHFLOW_SANDBOX_TEST_CANARY", null);
        }

        _run.AssertNothingLeftRunning();
    }

    [Theory]
    [InlineData("canary.txt")]
    [InlineData("data/ledger/meshflow-ledger.db")]
    [InlineData("data/keys/signing.key")]
    public async Task Files_outside_the_sandbox_are_not_there(string relative)
    {
        var secret = "secret-" + Guid.NewGuid().ToString("N");
        var path = Path.Combine(_run.Root, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllTextAsync(path, secret, TestContext.Current.CancellationToken);

        var message = await SandboxTestRun.FailureAsync(() => _run.PythonAsync($"print(open(\"{path}\").read())"));

        Assert.Contains("FileNotFoundError", message, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, message, StringComparison.Ordinal);
        _run.AssertNothingLeftRunning();
    }

    [Fact]
    public async Task Another_runs_workspace_is_not_there()
    {
        _run.WriteWorkspaceFile("mine.txt", "mine");
        var other = Path.Combine(Path.GetDirectoryName(_run.Workspace)!, "other-run");
        Directory.CreateDirectory(other);
        await File.WriteAllTextAsync(Path.Combine(other, "theirs.txt"), "theirs", TestContext.Current.CancellationToken);

        var output = await _run.PythonAsync("import os\nprint(sorted(os.listdir('/')), os.listdir('/workspace'))");

        Assert.Contains("['mine.txt']", output, StringComparison.Ordinal);
        Assert.DoesNotContain("theirs", output, StringComparison.Ordinal);
        Assert.DoesNotContain("etc", output, StringComparison.Ordinal);
        _run.AssertNothingLeftRunning();
    }

    [Theory]
    [InlineData("open('/workspace/new.txt', 'w').write('x')")]
    [InlineData("open('/workspace/data.csv', 'a').write('x')")]
    [InlineData("import os\nos.remove('/workspace/data.csv')")]
    public async Task The_workspace_is_read_only(string code)
    {
        var file = _run.WriteWorkspaceFile("data.csv", "a,b\n1,2\n");

        var message = await SandboxTestRun.FailureAsync(() => _run.PythonAsync(code));

        Assert.Matches("Read-only file system|PermissionError", message);
        Assert.Equal("a,b\n1,2\n", await File.ReadAllTextAsync(file, TestContext.Current.CancellationToken));
        Assert.False(File.Exists(Path.Combine(_run.Workspace, "new.txt")));
        _run.AssertNothingLeftRunning();
    }

    [Fact]
    public async Task The_sandbox_runs_as_an_unprivileged_user_without_capabilities()
    {
        Assert.SkipUnless(Environment.IsPrivilegedProcess, "a sandbox user id of its own needs a service running as root");
        var output = await _run.PythonAsync(
            "import os\nprint(os.getuid(), os.geteuid())\nprint([l for l in open('/proc/self/status') if l.startswith('CapEff')][0].strip())");

        var uid = int.Parse(output.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(uid, _run.Options.Sandbox.SandboxUidStart, _run.Options.Sandbox.SandboxUidStart + _run.Options.Sandbox.SandboxUidCount - 1);
        Assert.Contains("CapEff:\t0000000000000000", output, StringComparison.Ordinal);
        _run.AssertNothingLeftRunning();
    }

    [Fact]
    public async Task What_an_operator_installed_under_usr_local_is_not_there_and_the_only_group_is_the_workspaces()
    {
        var output = await _run.PythonAsync("import os\nprint(os.listdir('/usr/local'))\nprint(os.getgroups())");

        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("[]", lines[0]);
        if (Environment.IsPrivilegedProcess)
        {
            Assert.Equal($"[{_run.Options.Sandbox.WorkspaceGroupId}]", lines[1]);
        }

        _run.AssertNothingLeftRunning();
    }
}
