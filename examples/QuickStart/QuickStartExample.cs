using MeshFlow.Agents;
using MeshFlow.Declarative;
using MeshFlow.Events;
using MeshFlow.Execution;
using MeshFlow.Governance;
using MeshFlow.Ledger;
using MeshFlow.Ledger.Signing;
using MeshFlow.Ledger.Sqlite;
using MeshFlow.Runs;
using MeshFlow.Workflows;
using Microsoft.Extensions.AI;

namespace MeshFlow.Examples;

/// <summary>The README's examples, as code that CI runs.</summary>
public static class QuickStartExample
{
    /// <summary>Builds a reflective workflow in C#, runs it and streams its tokens to <paramref name="output"/>.</summary>
    public static async Task<RunResult> RunFromCSharpAsync(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var workflow = new WorkflowBuilder("review")
            .AddAgent("writer", "Draft the clause.", model: "offline")
            .AddNode(new AgentNode("critic") { Model = "scripted", Responses = ["REVISE: shorter", "APPROVED"] })
            .AddEdge("writer", "critic")
            .AddLoopEdge("critic", "writer", "!contains(output, 'APPROVED')", maxIterations: 3)
            .WithOutput("writer")
            .Build();

        var engine = new MeshFlowEngine();
        var run = engine.Start(workflow, "A mutual NDA for a software partnership");
        await foreach (var evt in run.Events)
        {
            switch (evt)
            {
                case StepStartEvent start:
                    await output.WriteAsync($"\n[{start.StepId}] ").ConfigureAwait(false);
                    break;
                case TokenDeltaEvent delta:
                    await output.WriteAsync(delta.Text).ConfigureAwait(false);
                    break;
            }
        }

        var result = await run.Completion.ConfigureAwait(false);
        await output.WriteLineAsync($"\n{result.Status} after {result.Steps.Count} steps").ConfigureAwait(false);
        return result;
    }

    /// <summary>Loads a YAML workflow file and runs it to the end.</summary>
    public static async Task<RunResult> RunFromYamlAsync(string path, string input, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var workflow = WorkflowYaml.LoadFile(path);
        var result = await new MeshFlowEngine().RunAsync(workflow, input).ConfigureAwait(false);
        await output.WriteLineAsync($"{workflow.Name}: {result.Status}, {result.Steps.Count} steps").ConfigureAwait(false);
        await output.WriteLineAsync(result.Output).ConfigureAwait(false);
        return result;
    }

    /// <summary>
    /// The README's ledger example: runs a workflow through an embedded SQLite ledger in <paramref name="dataDirectory"/>,
    /// then verifies the run's chain, reads a step's output back and replays the run with no model calls.
    /// </summary>
    public static async Task<(RunResult Result, LedgerVerification Verification, ReplayResult Replay, string? WriterOutput)> RunWithLedgerAsync(
        string dataDirectory, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        await using var store = SqliteLedgerStore.Open(Path.Combine(dataDirectory, "ledger.db"));
        await store.MigrateAsync().ConfigureAwait(false);
        using var key = Ed25519LedgerSigner.LoadOrCreate(Path.Combine(dataDirectory, "ledger.key"));
        var ledger = new AuditLedger(store, key);
        var workflow = WorkflowYaml.LoadFile(Path.Combine(AppContext.BaseDirectory, "examples", "review.yaml"));

        var engine = new MeshFlowEngine(new MeshFlowEngineOptions { Ledger = ledger });
        var result = await engine.RunAsync(workflow, "NDA", new RunOptions { TenantId = "acme" }).ConfigureAwait(false);

        var check = await ledger.VerifyAsync("acme", result.RunId).ConfigureAwait(false);
        var writerOutput = await ledger.GetOutputAsync("acme", result.RunId, "writer:1").ConfigureAwait(false);
        var replay = await LedgerReplay.ReplayAsync(engine, workflow, ledger, "acme", result.RunId).ConfigureAwait(false);
        await output.WriteLineAsync($"{result.RunId}: {result.Status}; chain valid: {check.Valid} ({check.Records} records); replay identical: {replay.Identical}")
            .ConfigureAwait(false);
        return (result, check, replay, writerOutput);
    }

    /// <summary>
    /// The README's governance example: an agent whose script calls its <c>shell</c> tool. A destructive command is
    /// rated critical and blocked (<c>dasc</c>); a harmless one, under a policy that allows only <c>search</c>, is
    /// outside the agent's capabilities and blocked (<c>identity</c>). Neither time does the tool run.
    /// </summary>
    /// <returns>Both runs, and how many times the <c>shell</c> tool's body was entered (0).</returns>
    public static async Task<(RunResult Destructive, RunResult NotAllowed, int ShellRuns)> RunGovernedAsync(TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var shellRuns = 0;
        var shell = AIFunctionFactory.Create((string command) =>
        {
            Interlocked.Increment(ref shellRuns);
            return $"ran {command}";
        }, "shell", "Runs a shell command.");
        var engine = new MeshFlowEngine(new MeshFlowEngineOptions { Tools = { shell } });

        Workflow Operator(string command) => new WorkflowBuilder("operator")
            .AddNode(new AgentNode("operator")
            {
                Model = "scripted",
                Tools = [shell],
                Responses = [ScriptedResponse.ToolCall("shell", new { command }), "Done."],
            })
            .Build();

        var destructive = await engine.RunAsync(Operator("rm -rf /tmp/cache /"), "Free some disk space").ConfigureAwait(false);
        var notAllowed = await engine.RunAsync(Operator("ls /tmp/cache"), "List the cache",
            new RunOptions { Policy = Policy.ForMode(PolicyModes.Standard) with { AllowedTools = ["search"] } }).ConfigureAwait(false);

        foreach (var result in new[] { destructive, notAllowed })
        {
            var step = result.Steps[^1];
            var reason = step.BlockReason is { } blockReason ? WireNames.Of(blockReason) : "none";
            var risk = step.Risk is { } finding ? $"{WireNames.Of(finding.Tier)} ({finding.Rule})" : "none";
            await output.WriteLineAsync($"{step.StepId}: {WireNames.Of(result.Status)} ({reason}), risk {risk}: {step.BlockDetail}")
                .ConfigureAwait(false);
        }

        await output.WriteLineAsync($"shell ran {shellRuns} times").ConfigureAwait(false);
        return (destructive, notAllowed, Volatile.Read(ref shellRuns));
    }
}
