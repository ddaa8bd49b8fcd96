using System.CommandLine;
using MeshFlow.Cli.Output;
using MeshFlow.Cli.Workflows;
using MeshFlow.Execution;
using MeshFlow.Workflows;

namespace MeshFlow.Cli.Commands;

/// <summary><c>meshflow validate</c>: every problem of a workflow file with its line and column; no server needed.</summary>
internal static class ValidateCommand
{
    public static Command Create(GlobalOptions options)
    {
        var file = new Argument<string>("workflow") { Description = "The workflow definition (YAML or JSON)" };
        var command = new Command("validate", "Check a workflow file: every problem as file:line:column: message (exit 1 when invalid)");
        command.Arguments.Add(file);
        command.SetAction(parse =>
        {
            var console = CliConsole.From(parse);
            var path = parse.GetValue(file)!;
            var read = WorkflowFile.Read(path);
            // The tools a workflow may name are the ones the engine registers, as a server checks them.
            var (workflow, problems) = read.Validate(new Declarative.WorkflowLoadOptions { Tools = new MeshFlowEngine().Tools });
            if (workflow is null)
            {
                foreach (var problem in problems)
                {
                    console.Out.WriteLine(problem);
                }

                console.Error.WriteLine($"{path}: {Count(problems.Count)}: not a valid workflow");
                return CliExitCodes.Failure;
            }

            console.Out.WriteLine($"{path}: valid: workflow '{workflow.Name}', {Count(workflow.Nodes.Count, "node")}, " +
                $"{Count(workflow.Edges.Count, "edge")}{Loops(workflow)}, policy {workflow.Policy.Mode}");
            return CliExitCodes.Success;
        });
        return command;
    }

    private static string Loops(Workflow workflow) => workflow.Edges.Count(e => e.IsLoop) is var loops and > 0 ? $" ({Count(loops, "loop")})" : "";

    private static string Count(int count, string noun = "problem") => count == 1 ? $"1 {noun}" : $"{count} {noun}s";
}
