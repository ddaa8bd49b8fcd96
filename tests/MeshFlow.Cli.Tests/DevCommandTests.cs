using System.Diagnostics;
using System.Globalization;
using System.Text;
using MeshFlow.Cli.Tests.Support;

namespace MeshFlow.Cli.Tests;

public sealed class DevCommandTests
{
    // Aspire's own line once the AppHost has started its orchestrator and resources; the AppHost's MeshFlow banner
    // ("MeshFlow is running.", printed once the API answers) is awaited too, whichever comes first.
    private const string AppHostStarted = "Distributed application started.";
    private const string Banner = "MeshFlow is running.";

#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    [Fact]
    public async Task Without_an_AppHost_in_reach_it_says_in_one_line_how_to_name_one()
    {
        using var temp = new TempDirectory();

        var result = await MeshFlowCli.RunAsync(["dev"], workingDirectory: temp.Path, cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(result.ExitCode == 1, result.ToString());
        var line = Assert.Single(Lines(result.Error));
        Assert.Contains("MeshFlow.AppHost", line, StringComparison.Ordinal);
        Assert.Contains("--apphost", line, StringComparison.Ordinal);
        Assert.Empty(result.Output);
    }

    [Fact]
    public async Task An_apphost_that_is_not_a_project_file_is_refused_in_one_line()
    {
        using var temp = new TempDirectory();
        await File.WriteAllTextAsync(temp.File("notes.txt"), "not a project", TestContext.Current.CancellationToken);

        var result = await MeshFlowCli.RunAsync(["dev", "--apphost", temp.File("notes.txt")], cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(result.ExitCode == 1, result.ToString());
        var line = Assert.Single(Lines(result.Error));
        Assert.Contains(temp.File("notes.txt"), line, StringComparison.Ordinal);
        Assert.Contains(".csproj", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_project_that_is_not_an_AppHost_is_refused_in_one_line()
    {
        var api = Path.Combine(MeshFlowCli.RepositoryRoot, "MeshFlow.Api", "MeshFlow.Api.csproj");

        var result = await MeshFlowCli.RunAsync(["dev", "--apphost", api], cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(result.ExitCode == 1, result.ToString());
        var line = Assert.Single(Lines(result.Error));
        Assert.Contains("not an Aspire AppHost project", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_AppHost_whose_SDK_is_not_installed_is_refused_in_one_line_before_anything_starts()
    {
        using var temp = new TempDirectory();
        await File.WriteAllTextAsync(temp.File("Demo.AppHost.csproj"), "<Project Sdk=\"Aspire.AppHost.Sdk/13.6.4\" />", TestContext.Current.CancellationToken);
        await File.WriteAllTextAsync(temp.File("global.json"), """{ "sdk": { "version": "99.0.100", "rollForward": "disable" } }""",
            TestContext.Current.CancellationToken);

        var result = await MeshFlowCli.RunAsync(["dev", "--apphost", temp.Path], cancellationToken: TestContext.Current.CancellationToken);

        Assert.True(result.ExitCode == 1, result.ToString());
        var line = Assert.Single(Lines(result.Error));
        Assert.Contains(".NET SDK", line, StringComparison.Ordinal);
        Assert.Contains("99.0.100", line, StringComparison.Ordinal);
        Assert.DoesNotContain("dotnet watch", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task It_runs_the_AppHost_under_dotnet_watch_and_Ctrl_C_stops_everything_it_started()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        // The AppHost's own Postgres and Redis data, apart from every other AppHost on the machine; not created here,
        // so that the AppHost makes it readable by the postgres user.
        var data = Path.Combine(Path.GetTempPath(), "meshflow-cli-dev-" + Guid.NewGuid().ToString("N")[..12]);
        // The configuration the tests were built in: where the whole solution was built first (CI), the AppHost and its
        // services are then up to date, and only their start is waited for.
        using var dev = DevProcess.Start(["dev", "--configuration", Configuration], MeshFlowCli.RepositoryRoot, new Dictionary<string, string?>
        {
            ["MESHFLOW_APPHOST_DATA_DIR"] = data,
            // A shared machine's inotify instances (128 a user by default) may be held by other processes: poll, as
            // meshflow dev itself does when too few are free.
            ["DOTNET_USE_POLLING_FILE_WATCHER"] = "1",
        });
        IReadOnlyCollection<ProcessEntry> started = [];
        try
        {
            // The first build of the AppHost and its services takes minutes on a small machine.
            var line = await dev.WaitForLineAsync(l => l.StartsWith(Banner, StringComparison.Ordinal) || l.Contains(AppHostStarted, StringComparison.Ordinal),
                TestTimeouts.Default * 10, cancellationToken);
            Assert.Contains("meshflow dev: starting", dev.Output, StringComparison.Ordinal);

            started = ProcessEntry.StartedBy(dev.Id);
            Assert.True(started.Any(p => p.Executable == "MeshFlow.AppHost"), $"no AppHost among\n{string.Join('\n', started)}\n{dev}");
            Assert.True(started.Any(p => p.Executable == "dcp"), $"no orchestrator (dcp) among\n{string.Join('\n', started)}\n{dev}");

            // Ctrl+C, as a terminal sends it.
            var exitCode = await dev.InterruptAsync(TestTimeouts.Default * 3, cancellationToken);

            Assert.True(exitCode == 130, $"exit {exitCode} after '{line}'\n{dev}");
            Assert.Contains("meshflow dev: stopped.", dev.Output, StringComparison.Ordinal);
            var left = ProcessEntry.Running().Where(p => started.Contains(p) || p.CommandLine.Contains(data, StringComparison.Ordinal)).ToList();
            Assert.True(left.Count == 0, $"still running:\n{string.Join('\n', left)}\n{dev}");
        }
        finally
        {
            dev.KillIfRunning();
            foreach (var process in ProcessEntry.Running().Where(started.Contains))
            {
                process.Kill();
            }

            DeleteQuietly(data);
        }
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static void DeleteQuietly(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (IOException)
        {
            // A server still closing a file; the temp folder is cleaned up by the system.
        }
    }

    /// <summary>
    /// <c>meshflow dev</c> started the way a terminal starts it: with SIGINT handled. A process started by a
    /// non-interactive shell in the background inherits SIGINT ignored, and .NET keeps an ignored SIGINT ignored, so
    /// it is started through python3, which restores the default before it runs dotnet.
    /// </summary>
    private sealed class DevProcess : IDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _output = new();
        private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Found)> _waiters = [];

        private DevProcess(Process process)
        {
            _process = process;
            process.OutputDataReceived += (_, e) => Received(e.Data);
            process.ErrorDataReceived += (_, e) => Received(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
        }

        public int Id => _process.Id;

        public string Output
        {
            get
            {
                lock (_output)
                {
                    return _output.ToString();
                }
            }
        }

        public static DevProcess Start(IEnumerable<string> args, string workingDirectory, IReadOnlyDictionary<string, string?> environment)
        {
            var info = new ProcessStartInfo("python3")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
                WorkingDirectory = workingDirectory,
            };
            foreach (var argument in (string[])["-c", "import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execvp('dotnet', ['dotnet'] + sys.argv[1:])",
                MeshFlowCli.Path, .. args])
            {
                info.ArgumentList.Add(argument);
            }

            info.Environment["NO_COLOR"] = "1";
            info.Environment["TERM"] = "dumb";
            foreach (var (name, value) in environment)
            {
                info.Environment[name] = value;
            }

            return new DevProcess(Process.Start(info) ?? throw new InvalidOperationException("python3 did not start"));
        }

        public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout, CancellationToken cancellationToken)
        {
            var found = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
            lock (_output)
            {
                _waiters.Add((match, found));
            }

            var exited = _process.WaitForExitAsync(cancellationToken);
            try
            {
                var first = await Task.WhenAny(found.Task, exited).WaitAsync(timeout, cancellationToken);
                return first == found.Task
                    ? await found.Task
                    : throw new InvalidOperationException($"meshflow dev exited ({_process.ExitCode}) before the line awaited\n{this}");
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"meshflow dev printed no line awaited within {timeout}\n{this}");
            }
        }

        /// <summary>Sends SIGINT and waits for the process to exit; its exit code.</summary>
        public async Task<int> InterruptAsync(TimeSpan timeout, CancellationToken cancellationToken)
        {
            using (var kill = Process.Start("kill", ["-INT", Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync(cancellationToken).WaitAsync(timeout, cancellationToken);
            }

            try
            {
                // Returns once it has exited and all it printed has been read.
                await _process.WaitForExitAsync(cancellationToken).WaitAsync(timeout, cancellationToken);
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"meshflow dev did not exit within {timeout} of Ctrl+C\n{this}");
            }

            return _process.ExitCode;
        }

        public void KillIfRunning()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        public void Dispose() => _process.Dispose();

        public override string ToString() => $"--- output ---\n{Output}";

        private void Received(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_output)
            {
                _output.Append(line).Append('\n');
                foreach (var waiter in _waiters.Where(w => w.Match(line)).ToList())
                {
                    waiter.Found.TrySetResult(line);
                    _waiters.Remove(waiter);
                }
            }
        }
    }

    /// <summary>A running process as <c>/proc</c> shows it: its pid with its start time (so a reused pid is another process).</summary>
    private sealed record ProcessEntry(int Pid, long Started, int Parent, string CommandLine)
    {
        public string Executable => Path.GetFileName(CommandLine.Split(' ')[0]);

        public bool Equals(ProcessEntry? other) => other is not null && other.Pid == Pid && other.Started == Started;

        public override int GetHashCode() => HashCode.Combine(Pid, Started);

        public override string ToString() => $"{Pid} {CommandLine}";

        /// <summary>
        /// Every process below <paramref name="root"/>, and Aspire's orchestrator (DCP), which detaches from the tree and
        /// names the AppHost it serves (<c>--monitor &lt;pid&gt;</c>), with every process below it (Postgres, Redis, the dashboard).
        /// </summary>
        public static IReadOnlyCollection<ProcessEntry> StartedBy(int root)
        {
            var running = Running();
            var tree = Below(running, [root]);
            var pids = tree.Select(p => p.Pid.ToString(CultureInfo.InvariantCulture)).ToHashSet(StringComparer.Ordinal);
            var orchestrators = running.Where(p =>
            {
                var arguments = p.CommandLine.Split(' ');
                return arguments.Zip(arguments.Skip(1)).Any(pair => pair.First == "--monitor" && pids.Contains(pair.Second));
            }).ToList();
            return [.. tree.Concat(orchestrators).Concat(Below(running, orchestrators.Select(o => o.Pid))).Distinct()];
        }

        /// <summary>Every process that is running now (zombies are not: they have ended).</summary>
        public static List<ProcessEntry> Running()
        {
            var processes = new List<ProcessEntry>();
            foreach (var directory in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
                {
                    continue;
                }

                try
                {
                    var stat = File.ReadAllText(Path.Combine(directory, "stat"));
                    var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                    if (fields[0] != "Z")
                    {
                        var commandLine = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ').Trim();
                        processes.Add(new ProcessEntry(pid, long.Parse(fields[19], CultureInfo.InvariantCulture),
                            int.Parse(fields[1], CultureInfo.InvariantCulture), commandLine));
                    }
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // It ended while it was read.
                }
            }

            return processes;
        }

        public void Kill()
        {
            try
            {
                using var process = Process.GetProcessById(Pid);
                process.Kill();
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException)
            {
                // Gone already.
            }
        }

        private static List<ProcessEntry> Below(List<ProcessEntry> running, IEnumerable<int> roots)
        {
            var found = new List<ProcessEntry>();
            var pending = new Queue<int>(roots);
            while (pending.TryDequeue(out var parent))
            {
                foreach (var child in running.Where(p => p.Parent == parent && !found.Contains(p)))
                {
                    found.Add(child);
                    pending.Enqueue(child.Pid);
                }
            }

            return found;
        }
    }
}
