namespace MeshFlow.Cli.Workflows;

/// <summary><c>--input</c>: the text itself, <c>@file</c> for a file's content, or <c>-</c> for standard input.</summary>
internal static class RunInput
{
    public static async Task<string> ReadAsync(string? value, CancellationToken cancellationToken)
    {
        switch (value)
        {
            case null:
                return "";
            case "-":
                return await Console.In.ReadToEndAsync(cancellationToken);
            case ['@', '@', ..]:
                return value[1..];
            case ['@', .. var path] when path.Length > 0:
                if (!File.Exists(path))
                {
                    throw new CliException($"--input @{path}: the file does not exist (to pass text that starts with '@', write '@@...')", CliExitCodes.Usage);
                }

                return await File.ReadAllTextAsync(path, cancellationToken);
            default:
                return value;
        }
    }
}
