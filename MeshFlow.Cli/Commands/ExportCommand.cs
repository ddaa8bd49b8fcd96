using System.CommandLine;

namespace MeshFlow.Cli.Commands;

// Placeholder while the command is built; replaced in full before this work lands.
internal static class ExportCommand
{
    public static Command Create(GlobalOptions options) => new("export", "(being built)");
}
