using System.CommandLine;

namespace MeshFlow.Cli.Commands;

// Placeholder while the command is built; replaced in full before this work lands.
internal static class TraceCommand
{
    public static Command Create(GlobalOptions options) => new("trace", "(being built)");
}
