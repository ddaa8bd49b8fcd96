using System.CommandLine;

namespace MeshFlow.Cli.Commands;

// Placeholder while the command is built; replaced in full before this work lands.
internal static class RunsCommand
{
    public static Command Create(GlobalOptions options) => new("runs", "(being built)");
}
