using System.CommandLine;
using System.Text.Json;
using MeshFlow.Cli.Client;
using MeshFlow.Cli.Embedded;
using MeshFlow.Cli.Output;
using MeshFlow.Cli.Runs;
using MeshFlow.Cli.Workflows;
using MeshFlow.Declarative;
using MeshFlow.Events;
using MeshFlow.Runs;
using MeshFlow.Runtime;
using MeshFlow.Workflows;

namespace MeshFlow.Cli.Commands;

/// <summary>
/// <c>meshflow run</c>: runs a workflow file, embedded (recorded in the data folder's ledger) or on a server
/// (<c>POST /stream</c>), and shows it live. Exit 0 when it completed; 1 when it failed, was blocked, or is paused.
/// </summary>
internal static class RunCommand
{
    // After Ctrl+C the run is asked to stop; this long its run_end is waited for before giving up on it.
    private static readonly TimeSpan CancelGrace = TimeSpan.FromSeconds(15);

    public static Command Create(GlobalOptions options)
    {
        var file = new Argument<string>("workflow") { Description = "The workflow definition (YAML or JSON)" };
        var input = new Option<string?>("--input", "-i") { Description = "The run's input: the text, @file for a file's content, or - for standard input" };
        var policy = new Option<string?>("--policy") { Description = "A policy preset (dev, standard, strict, hipaa) or a JSON/YAML file of policy fields" };
        var wait = new Option<bool>("--wait")
        {
            Description = "With --url: when the run pauses for a human, wait for the decision and follow the run to its end",
        };

        var command = new Command("run", "Run a workflow and stream it: tokens, each step's verdict and cost, the output and the run id");
        command.Arguments.Add(file);
        command.Options.Add(input);
        command.Options.Add(policy);
        command.Options.Add(wait);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var console = CliConsole.From(parse);
            var path = parse.GetValue(file)!;
            var text = await RunInput.ReadAsync(parse.GetValue(input), cancellationToken);
            var policyJson = PolicyArgument.Read(parse.GetValue(policy));
            var client = options.Client(parse);
            if (client is null && parse.GetValue(wait))
            {
                console.Warn("--wait is for runs on a server (--url): a run paused here waits in the data folder");
            }

            await using var embedded = client is null
                ? await EmbeddedMeshFlow.OpenAsync(options.DataDirectoryPath(parse), parse.GetValue(options.Verbose), cancellationToken)
                : null;
            using (client)
            {
                await using var stream = client is not null
                    ? await StartOnServerAsync(client, path, text, policyJson, cancellationToken)
                    : await StartEmbeddedAsync(embedded!, path, text, policyJson, cancellationToken);
                return await ShowAsync(console, stream, follow: client is not null && parse.GetValue(wait), cancellationToken);
            }
        });
        return command;
    }

    private static async Task<IRunStream> StartOnServerAsync(MeshFlowClient client, string path, string input, JsonElement? policy,
        CancellationToken cancellationToken)
    {
        // The server validates the definition with its own tools; the file only has to be a text file.
        var file = WorkflowFile.Read(path);
        if (file.Problem is { } problem)
        {
            throw new CliException($"{path}: {problem}");
        }

        try
        {
            return await ServerRunStream.StartAsync(client, ServerRunStream.Body(file.Text!, input, policy), cancellationToken);
        }
        catch (ServerProblemException refused) when (refused.Problem.Errors.Any(e => e.Line is not null))
        {
            // An invalid workflow: its problems at their lines, as 'meshflow validate' prints them.
            throw CliException.Many([.. refused.Problem.Errors.Select(e => e.Line is { } line
                ? $"{path}:{line}:{e.Column ?? 1}: {e.Message}"
                : $"{path}: {e.Message}")]);
        }
        catch (ServerProblemException refused) when (refused.Problem.Errors.Any(e => e.Path?.StartsWith("policy", StringComparison.Ordinal) == true))
        {
            throw CliException.Many([.. refused.Problem.Errors.Select(e => $"--policy: {e.Describe()}")]);
        }
    }

    private static async Task<IRunStream> StartEmbeddedAsync(EmbeddedMeshFlow embedded, string path, string input, JsonElement? policyJson,
        CancellationToken cancellationToken)
    {
        var engine = embedded.Engine;
        var (file, workflow) = WorkflowFile.Load(path, new WorkflowLoadOptions { Tools = engine.Tools });
        var policy = policyJson is { } json ? PolicyArgument.Resolve(json, workflow.Policy, [.. engine.Tools.Keys], "--policy") : workflow.Policy;
        var modelProblems = workflow.Nodes.OfType<AgentNode>().Select(agent => engine.Models.Problem(agent, policy)).OfType<string>().ToList();
        if (modelProblems.Count > 0)
        {
            throw CliException.Many([.. modelProblems.Select(p => $"{path}: {p}")]);
        }

        return await EmbeddedRunStream.StartAsync(embedded, new RunSubmission
        {
            TenantId = EmbeddedMeshFlow.DefaultTenant, Workflow = workflow, Definition = file.Text!, Input = input, Policy = policy,
        }, cancellationToken);
    }

    private static async Task<int> ShowAsync(CliConsole console, IRunStream stream, bool follow, CancellationToken cancellationToken)
    {
        // Ctrl+C asks the run to stop and keeps reading, so that its end (cancelled) is shown and recorded; while a
        // paused run waits for its decision (--wait), it only stops the waiting, and the run waits on.
        using var reading = new CancellationTokenSource();
        var waitingForDecision = false;
        using var onCancel = cancellationToken.Register(() =>
        {
            if (Volatile.Read(ref waitingForDecision))
            {
                reading.Cancel();
                return;
            }

            console.Error.WriteLine($"stopping run '{stream.RunId}' (Ctrl+C again to leave it running)");
            _ = CancelQuietlyAsync(stream, console);
            reading.CancelAfter(CancelGrace);
        });

        var renderer = new RunRenderer(console);
        var outcome = await renderer.RenderAsync(stream.ReadAsync(reading.Token), reading.Token);
        // With --wait, a pause is followed through: the reviewer's decision, then the rest of the run.
        while (follow && outcome is { Status: RunStatus.Paused } paused && !cancellationToken.IsCancellationRequested)
        {
            console.Error.WriteLine($"run '{paused.RunId}' is paused; waiting for a reviewer's decision (Ctrl+C to stop waiting)");
            Volatile.Write(ref waitingForDecision, true);
            try
            {
                outcome = await renderer.RenderAsync(UntilDecided(stream.ReadAsync(reading.Token), () => Volatile.Write(ref waitingForDecision, false)),
                    reading.Token);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                outcome = paused;
            }

            Volatile.Write(ref waitingForDecision, false);
        }

        if (outcome is null)
        {
            throw new CliException($"the events of run '{stream.RunId}' stopped before it ended: see where it is with 'meshflow trace {stream.RunId}'");
        }

        renderer.ShowSummary(outcome);
        return outcome.Status switch
        {
            RunStatus.Completed => CliExitCodes.Success,
            RunStatus.Paused => throw new CliException(
                $"run '{outcome.RunId}' is paused{(outcome.Pause?.StepId is { } step ? $" at step {step}" : "")}, waiting for a human: {stream.ApprovalHint}"),
            RunStatus.Cancelled when cancellationToken.IsCancellationRequested => throw new CliException($"run '{outcome.RunId}' was cancelled", CliExitCodes.Cancelled),
            var status => throw new CliException($"run '{outcome.RunId}' ended {WireNames.Of(status)}{Why(outcome)}"),
        };
    }

    // The events, telling when the decision arrives: from then on the run executes again, and Ctrl+C cancels it.
    private static async IAsyncEnumerable<MeshEvent> UntilDecided(IAsyncEnumerable<MeshEvent> events, Action decided)
    {
        await foreach (var evt in events)
        {
            if (evt is HitlResolvedEvent)
            {
                decided();
            }

            yield return evt;
        }
    }

    private static string Why(RunOutcome outcome)
    {
        if (outcome.Stopper is { } step)
        {
            var reason = step.BlockReason is { } why ? $" ({WireNames.Of(why)}{(step.BlockDetail is { Length: > 0 } detail ? $": {detail}" : "")})" : "";
            return $" at step {step.StepId}{reason}";
        }

        return outcome.End.Error is { } error ? $": {error.Message}" : "";
    }

    private static async Task CancelQuietlyAsync(IRunStream stream, CliConsole console)
    {
        try
        {
            await stream.RequestCancelAsync(CancellationToken.None);
        }
        catch (Exception ex) when (ex is CliException or ServerProblemException)
        {
            console.Warn($"the run could not be asked to stop: {ex.Message}");
        }
    }
}
