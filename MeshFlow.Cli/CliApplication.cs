using System.CommandLine;
using System.Net.Sockets;
using MeshFlow.Cli.Commands;

namespace MeshFlow.Cli;

/// <summary>The <c>meshflow</c> command line: its commands, and one way of reporting what went wrong.</summary>
public static class CliApplication
{
    /// <summary>Builds the root command with every subcommand.</summary>
    public static RootCommand CreateRootCommand(GlobalOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var root = new RootCommand("MeshFlow: governed multi-agent workflows with a verifiable audit ledger.");
        options.AddTo(root);
        root.Subcommands.Add(RunCommand.Create(options));
        root.Subcommands.Add(ServeCommand.Create(options));
        root.Subcommands.Add(DevCommand.Create(options));
        root.Subcommands.Add(RunsCommand.Create(options));
        root.Subcommands.Add(TraceCommand.Create(options));
        root.Subcommands.Add(ValidateCommand.Create(options));
        root.Subcommands.Add(InitCommand.Create(options));
        root.Subcommands.Add(ExportCommand.Create(options));
        root.Subcommands.Add(VerifyCommand.Create(options));
        root.Subcommands.Add(AdminCommand.Create(options));
        return root;
    }

    /// <summary>
    /// Parses and runs a command line. A failure is one line on <paramref name="error"/> (what went wrong and what to
    /// do) and a non-zero exit code; <c>--verbose</c> adds the stack trace.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(error);
        var options = new GlobalOptions();
        var root = CreateRootCommand(options);
        var parse = root.Parse(args);
        var verbose = parse.GetValue(options.Verbose);
        using var cancellation = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            return await parse.InvokeAsync(new InvocationConfiguration { EnableDefaultExceptionHandler = false, Output = output, Error = error },
                cancellation.Token);
        }
        catch (Exception ex)
        {
            var (message, code) = Describe(ex, cancellation.IsCancellationRequested);
            await error.WriteLineAsync($"error: {message}");
            if (verbose)
            {
                await error.WriteLineAsync(ex.ToString());
            }
            else if (ex is not CliException && code != CliExitCodes.Unavailable)
            {
                await error.WriteLineAsync("(run again with --verbose for the details)");
            }

            return code;
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    private static (string Message, int Code) Describe(Exception ex, bool cancelled) => ex switch
    {
        CliException cli => (cli.Message, cli.ExitCode),
        OperationCanceledException when cancelled => ("cancelled", 130),
        HttpRequestException { InnerException: SocketException socket } http =>
            ($"cannot reach the MeshFlow server ({socket.SocketErrorCode}): {http.Message} Start one with 'meshflow serve', or pass --url.", CliExitCodes.Unavailable),
        HttpRequestException http => ($"the request to the MeshFlow server failed: {http.Message}", CliExitCodes.Unavailable),
        TaskCanceledException => ("the MeshFlow server did not answer in time", CliExitCodes.Unavailable),
        FileNotFoundException file => ($"{file.FileName ?? "the file"} does not exist", CliExitCodes.Failure),
        DirectoryNotFoundException directory => (OneLine(directory.Message), CliExitCodes.Failure),
        UnauthorizedAccessException access => (OneLine(access.Message), CliExitCodes.Failure),
        _ => (OneLine(ex.Message), CliExitCodes.Failure),
    };

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
