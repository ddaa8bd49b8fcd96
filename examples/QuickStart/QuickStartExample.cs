using MeshFlow.Declarative;
using MeshFlow.Events;
using MeshFlow.Execution;
using MeshFlow.Workflows;

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
}
