using System.CommandLine;
using System.CommandLine.Help;
using System.CommandLine.Invocation;
using System.Net.Sockets;
using MeshFlow.Cli.Client;
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
        ShowHelpWhenAlone(root);
        return root;
    }

    /// <summary>
    /// Parses and runs a command line. A failure is one line on <paramref name="error"/> (what went wrong and what to
    /// do) and a non-zero exit code; <c>--verbose</c> adds the stack trace.
    /// </summary>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var options = new GlobalOptions();
        var root = CreateRootCommand(options);
        // '@file' is an argument of its own (run --input @brief.txt), never a response file to splice in.
        var parse = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        // Ctrl+C is handled here (the run is cancelled and its recorded end awaited; dev stops the whole AppHost), so
        // System.CommandLine's own two-second cut-off after a termination signal is turned off.
        var invocation = new InvocationConfiguration
        {
            EnableDefaultExceptionHandler = false,
            ProcessTerminationTimeout = null,
            Output = output,
            Error = error,
        };
        if (parse.Action is ParseErrorAction)
        {
            return await ReportParseErrorsAsync(parse, error);
        }

        var verbose = parse.GetValue(options.Verbose);
        using var cancellation = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            // The first Ctrl+C asks the command to stop cleanly; a second one ends the process.
            e.Cancel = !cancellation.IsCancellationRequested;
            cancellation.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            return await parse.InvokeAsync(invocation, cancellation.Token);
        }
        catch (Exception ex)
        {
            var (lines, code) = Describe(ex, cancellation.IsCancellationRequested);
            foreach (var line in lines)
            {
                await error.WriteLineAsync($"error: {OneLine(line)}");
            }

            if (verbose)
            {
                await error.WriteLineAsync(ex.ToString());
            }
            else if (ex is not (CliException or ServerProblemException or MeshFlow.ServiceDefaults.Startup.MeshFlowConfigurationException) && code != CliExitCodes.Unavailable && code != CliExitCodes.Cancelled)
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

    /// <summary>
    /// A command that only groups others (<c>meshflow</c>, <c>admin</c>, <c>admin keys</c>) shows its help when run
    /// alone, rather than an error about a missing subcommand.
    /// </summary>
    public static void ShowHelpWhenAlone(Command group)
    {
        ArgumentNullException.ThrowIfNull(group);
        group.SetAction(parse =>
        {
            new HelpAction().Invoke(parse);
            // Help asked for is an answer; help instead of a command is a usage error.
            return group is RootCommand ? CliExitCodes.Success : CliExitCodes.Usage;
        });
    }

    // The parse errors, one line each, and where to read how the command is used: never the whole help.
    private static async Task<int> ReportParseErrorsAsync(ParseResult parse, TextWriter error)
    {
        foreach (var problem in parse.Errors)
        {
            await error.WriteLineAsync($"error: {OneLine(problem.Message)}");
        }

        var path = new List<string>();
        for (var result = parse.CommandResult; result is not null; result = result.Parent as System.CommandLine.Parsing.CommandResult)
        {
            path.Insert(0, result.Command.Name);
        }

        path[0] = "meshflow";
        await error.WriteLineAsync($"see '{string.Join(' ', path)} --help'");
        return CliExitCodes.Usage;
    }

    private static (IReadOnlyList<string> Lines, int Code) Describe(Exception ex, bool cancelled) => ex switch
    {
        CliException cli => (cli.Lines, cli.ExitCode),
        ServerProblemException problem => ([problem.Message], problem.ExitCode),
        OperationCanceledException when cancelled => (["cancelled"], CliExitCodes.Cancelled),
        HttpRequestException { InnerException: SocketException socket } http =>
            ([$"cannot reach the MeshFlow server ({socket.SocketErrorCode}): {http.Message} Start one with 'meshflow serve', or pass --url."], CliExitCodes.Unavailable),
        HttpRequestException http => ([$"the request to the MeshFlow server failed: {http.Message}"], CliExitCodes.Unavailable),
        TaskCanceledException => (["the MeshFlow server did not answer in time"], CliExitCodes.Unavailable),
        FileNotFoundException file => ([$"{file.FileName ?? "the file"} does not exist"], CliExitCodes.Failure),
        DirectoryNotFoundException directory => ([directory.Message], CliExitCodes.Failure),
        UnauthorizedAccessException access => ([access.Message], CliExitCodes.Failure),
        _ => ([ex.Message], CliExitCodes.Failure),
    };

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
