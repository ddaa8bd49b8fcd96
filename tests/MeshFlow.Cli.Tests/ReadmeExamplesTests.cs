using System.Diagnostics;
using System.Text.RegularExpressions;
using MeshFlow.Cli.Tests.Support;

namespace MeshFlow.Cli.Tests;

/// <summary>
/// The README's shell examples, run as written with bash against a server started by the test: the placeholders a
/// reader fills in (the banner's URL and key, a run id) are replaced, and <c>meshflow</c> is the built CLI.
/// </summary>
[Collection(SharedServer.Name)]
public sealed partial class ReadmeExamplesTests(ServerFixture server)
{
    [Fact]
    public async Task The_first_run_streams_the_review_example_through_the_cli_and_curl()
    {
        var result = await RunReadmeBlockAsync("## The first run", runId: null);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(RunIdLine(), result.Output);
        Assert.Contains("event: run_end", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Every_call_of_calling_the_api_carries_the_key_and_is_answered()
    {
        var runId = await StartReviewRunAsync();

        var result = await RunReadmeBlockAsync("## Calling the API", runId);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("\"name\":\"review\"", result.Output, StringComparison.Ordinal);
        Assert.Contains("\"valid\":true", result.Output, StringComparison.Ordinal);
        Assert.Contains(runId, result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_evidence_example_exports_a_bundle_that_both_verifiers_accept_with_the_pinned_key()
    {
        var runId = await StartReviewRunAsync();

        var result = await RunReadmeBlockAsync("## The audit ledger and evidence anyone can verify", runId);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal(2, Regex.Count(result.Output, "^valid: \\d+ records .*pinned key", RegexOptions.Multiline));
    }

    [Fact]
    public async Task The_approval_example_lists_the_paused_run_and_approves_it_to_completion()
    {
        var paused = await server.RunAsync(["run", Path.Combine(MeshFlowCli.RepositoryRoot, "examples", "approvals", "contract.yaml"), "--input", "A supplier contract"],
            cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(paused.ExitCode == 1, paused.ToString());
        var runId = RunIdLine().Match(paused.Output).Groups["id"].Value;

        var result = await RunReadmeBlockAsync("## Human approval", runId);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains(runId, result.Output, StringComparison.Ordinal);
        // The approved run resumes on the server's worker: it ends completed.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(TestTimeouts.Default);
        CliResult after;
        do
        {
            after = await server.RunAsync(["runs", "--limit", "50"], cancellationToken: deadline.Token);
        }
        while (!Regex.IsMatch(after.Output, $"{runId}\\s+completed") && !deadline.IsCancellationRequested);
        Assert.Matches($"{runId}\\s+completed", after.Output);
    }

    [Fact]
    public async Task The_metrics_example_shows_the_runs_and_tokens_the_server_counted()
    {
        await StartReviewRunAsync();

        var result = await RunReadmeBlockAsync("## The dashboard, metrics and traces", runId: null);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Matches(@"(?m)^meshflow_runs_total\{[^}]*status=""completed""[^}]*\} [1-9]", result.Output);
        Assert.Matches(@"(?m)^meshflow_tokens_total\{[^}]*direction=""output""[^}]*\} [1-9]", result.Output);
    }

    [Fact]
    public async Task The_knowledge_example_ingests_the_handbook_finds_the_holiday_rule_and_answers_from_it()
    {
        var result = await RunReadmeBlockAsync("## Memory and retrieval", runId: null);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("\"knowledge_base\":\"handbook\"", result.Output, StringComparison.Ordinal);
        Assert.Contains("25 days of paid holiday", result.Output, StringComparison.Ordinal);
        Assert.Matches(RunIdLine(), result.Output);
    }

    [Fact]
    public async Task The_tools_example_totals_the_csv_in_the_sandbox_and_lists_the_tools()
    {
        var result = await RunReadmeBlockAsync("## Built-in tools", runId: null);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("South: 1908.00", result.Output, StringComparison.Ordinal);
        Assert.Contains("Total: 5916.50", result.Output, StringComparison.Ordinal);
        Assert.Matches(RunIdLine(), result.Output);
        Assert.Contains("\"name\":\"python_repl\"", result.Output, StringComparison.Ordinal);
        Assert.Contains("\"name\":\"web_fetch\"", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_curl_in_the_readme_sends_an_api_key()
    {
        var readme = File.ReadAllText(Path.Combine(MeshFlowCli.RepositoryRoot, "README.md"));
        var calls = CurlCall().Matches(readme).Select(m => m.Value).ToList();

        Assert.NotEmpty(calls);
        Assert.All(calls, call => Assert.Contains("Authorization: Bearer", call, StringComparison.Ordinal));
    }

    private async Task<string> StartReviewRunAsync()
    {
        var run = await server.RunAsync(["run", Path.Combine(MeshFlowCli.RepositoryRoot, "examples", "review.yaml"), "--input", "A mutual NDA"],
            cancellationToken: TestContext.Current.CancellationToken);
        Assert.True(run.ExitCode == 0, run.ToString());
        return RunIdLine().Match(run.Output).Groups["id"].Value;
    }

    // Runs the first bash block after a README heading, in a folder of its own where examples/ and docs/ are the
    // repository's (so files it writes, such as bundle.json, stay out of the repository).
    private async Task<CliResult> RunReadmeBlockAsync(string heading, string? runId)
    {
        var block = BashBlockAfter(heading)
            .Replace("dotnet run --project MeshFlow.Cli --", "meshflow", StringComparison.Ordinal)
            .Replace("http://localhost:5180", server.Url, StringComparison.Ordinal)
            .Replace("q7Rk...", server.ApiKey, StringComparison.Ordinal);
        if (runId is not null)
        {
            block = block.Replace("run_...", runId, StringComparison.Ordinal);
        }

        // Every placeholder outside a comment has been filled in.
        Assert.DoesNotContain("...", string.Join('\n', block.Split('\n').Select(line => line.StartsWith('#') ? "" : line.Split(" # ")[0])),
            StringComparison.Ordinal);
        using var folder = new TempDirectory();
        Directory.CreateSymbolicLink(folder.File("examples"), Path.Combine(MeshFlowCli.RepositoryRoot, "examples"));
        Directory.CreateSymbolicLink(folder.File("docs"), Path.Combine(MeshFlowCli.RepositoryRoot, "docs"));
        var script = $$"""
            set -eo pipefail
            meshflow() { dotnet "$MESHFLOW_CLI" "$@"; }
            # Any answer but a success (or 409, a cancel of a run that has already ended) fails the example.
            curl() {
              local out code
              out=$(command curl -sS -w '\n%{http_code}' "$@") || return $?
              code=${out##*$'\n'}
              printf '%s\n' "${out%$'\n'*}"
              case $code in 2??|409) ;; *) echo "HTTP $code from: curl $*" >&2; return 1 ;; esac
            }
            {{block}}
            """;
        return await RunBashAsync(script, folder.Path);
    }

    private async Task<CliResult> RunBashAsync(string script, string workingDirectory)
    {
        var info = new ProcessStartInfo("bash")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        info.Environment["MESHFLOW_CLI"] = MeshFlowCli.Path;
        info.Environment["MESHFLOW_URL"] = server.Url;
        info.Environment["MESHFLOW_API_KEY"] = server.ApiKey;
        info.Environment["NO_COLOR"] = "1";
        info.Environment.Remove("MESHFLOW_DATA_DIR");
        using var process = Process.Start(info) ?? throw new InvalidOperationException("bash did not start");
        await process.StandardInput.WriteAsync(script);
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        try
        {
            await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TestTimeouts.Default, TestContext.Current.CancellationToken);
        }
        catch (TimeoutException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new CliResult(process.ExitCode, await output, await error);
    }

    private static string BashBlockAfter(string heading)
    {
        var readme = File.ReadAllText(Path.Combine(MeshFlowCli.RepositoryRoot, "README.md")).ReplaceLineEndings("\n");
        var section = readme.IndexOf("\n" + heading + "\n", StringComparison.Ordinal);
        Assert.True(section >= 0, $"the README has no section '{heading}'");
        var start = readme.IndexOf("```bash\n", section, StringComparison.Ordinal);
        var next = readme.IndexOf("\n## ", section + heading.Length + 1, StringComparison.Ordinal);
        Assert.True(start >= 0 && (next < 0 || start < next), $"the README's section '{heading}' has no bash example");
        start += "```bash\n".Length;
        return readme[start..readme.IndexOf("```", start, StringComparison.Ordinal)];
    }

    [GeneratedRegex(@"^run_id: (?<id>run_[0-9a-f]+)$", RegexOptions.Multiline)]
    private static partial Regex RunIdLine();

    // A curl command with its continuation lines.
    [GeneratedRegex(@"\bcurl (?:[^\n]*\\\n)*[^\n]*")]
    private static partial Regex CurlCall();
}
