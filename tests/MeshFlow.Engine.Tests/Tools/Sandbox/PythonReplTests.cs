using System.Diagnostics;
using System.Globalization;
using MeshFlow.Governance.Risk;
using MeshFlow.Tools.BuiltIn;

namespace MeshFlow.Tests.Tools.Sandbox;

[Collection(nameof(OneSandboxAtATime))]
public sealed class PythonReplTests(ITestOutputHelper output) : IDisposable
{
    private readonly SandboxTestRun _run = new();

    public void Dispose() => _run.Dispose();

    [Fact]
    public async Task Code_runs_and_its_printed_output_is_the_result()
    {
        Assert.Equal("45\n", await _run.PythonAsync("print(sum(range(10)))"));
        _run.AssertNothingLeftRunning();
    }

    [Fact]
    public async Task A_csv_file_of_the_runs_workspace_is_read_at_workspace()
    {
        _run.WriteWorkspaceFile("sales.csv", "region,amount\nnorth,10\nsouth,32\n");
        const string Code = """
            import csv
            with open("/workspace/sales.csv", newline="") as f:
                rows = list(csv.DictReader(f))
            print(sum(int(r["amount"]) for r in rows))
            """;

        Assert.Equal("42\n", await _run.PythonAsync(Code));
    }

    [Fact]
    public async Task The_scratch_folder_is_writable_and_the_working_directory()
    {
        const string Code = """
            import os
            open("notes.txt", "w").write("kept")
            print(os.getcwd(), open("/scratch/notes.txt").read(), open("/tmp/notes.txt").read())
            """;

        Assert.Equal("/scratch kept kept\n", await _run.PythonAsync(Code));
    }

    [Fact]
    public async Task Standard_error_is_labelled_after_the_output()
    {
        var result = await _run.PythonAsync("import sys\nprint('out')\nprint('warn', file=sys.stderr)");

        Assert.Equal("out\n[stderr]\nwarn\n", result);
    }

    [Fact]
    public async Task An_exception_is_an_error_ending_with_its_last_line()
    {
        var message = await SandboxTestRun.FailureAsync(() => _run.PythonAsync("print('before')\n1 / 0"));

        Assert.StartsWith("python_repl: the program failed with exit code 1", message, StringComparison.Ordinal);
        Assert.EndsWith("ZeroDivisionError: division by zero", message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', message);
    }

    [Fact]
    public async Task Output_over_the_cap_is_cut_and_says_so()
    {
        var result = await _run.PythonAsync("while True:\n    print('x' * 1000)");

        Assert.EndsWith("[output cut: the program wrote more than the output cap and was stopped]", result, StringComparison.Ordinal);
        Assert.True(result.Length <= _run.Python.MaxOutputChars);
        _run.AssertNothingLeftRunning();
    }

    [Fact]
    public void The_tool_declares_medium_risk_and_a_timeout_above_the_sandboxes()
    {
        Assert.Equal(RiskTier.Medium, _run.Python.Risk);
        Assert.True(_run.Python.Timeout > _run.Options.Sandbox.PythonTimeout);
        Assert.Equal(["code"], _run.Python.JsonSchema.GetProperty("required").EnumerateArray().Select(e => e.GetString()));
        Assert.False(_run.Python.JsonSchema.GetProperty("additionalProperties").GetBoolean());
        Assert.Contains("no network", _run.Python.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_bubblewrap_is_an_error_naming_the_package()
    {
        _run.Options.Sandbox.BubblewrapPath = "/nonexistent/bwrap";
        var python = BuiltInTools.Create(_run.Options).Single(t => t.Name == BuiltInToolNames.PythonRepl);
        var arguments = new Microsoft.Extensions.AI.AIFunctionArguments { ["code"] = "print(1)" };

        var exception = await Assert.ThrowsAsync<BuiltInToolException>(() => python.InvokeAsync(arguments, TestContext.Current.CancellationToken).AsTask());

        Assert.Contains("apt-get install bubblewrap", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_trivial_calls_time_is_reported()
    {
        var times = new List<double>();
        for (var i = 0; i < 20; i++)
        {
            var watch = Stopwatch.StartNew();
            Assert.Equal("1\n", await _run.PythonAsync("print(1)"));
            times.Add(watch.Elapsed.TotalMilliseconds);
        }

        times.Sort();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"python_repl print(1): median {times[times.Count / 2]:0.0} ms, min {times[0]:0.0} ms, max {times[^1]:0.0} ms over {times.Count} calls"));
        _run.AssertNothingLeftRunning();
    }
}
