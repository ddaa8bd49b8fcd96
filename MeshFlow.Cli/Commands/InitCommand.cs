using System.CommandLine;

namespace MeshFlow.Cli.Commands;

// Placeholder while the command is built; replaced in full before this work lands.
internal static class InitCommand
{
    public static Command Create(GlobalOptions options) => new("init", "(being built)");
}
