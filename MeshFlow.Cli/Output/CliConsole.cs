using System.CommandLine;
using Spectre.Console;

namespace MeshFlow.Cli.Output;

/// <summary>
/// Where a command writes: plain text to <see cref="Out"/> (outputs, ids, JSON: anything a script reads) and Spectre
/// renderings (tables, colours, progress, prompts) through <see cref="Ansi"/>, which writes to the same stream.
/// </summary>
internal sealed class CliConsole
{
    // Redirected output has no width of its own; a wide one keeps a table's rows on one line each for grep.
    private const int RedirectedWidth = 240;

    private CliConsole(TextWriter output, TextWriter error)
    {
        Out = output;
        Error = error;
        var terminal = ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected;
        Ansi = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(output),
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        });
        if (!terminal)
        {
            Ansi.Profile.Width = RedirectedWidth;
        }

        // Prompts and live displays need a person at a terminal on both ends.
        Interactive = terminal && !Console.IsInputRedirected && Ansi.Profile.Capabilities.Interactive;
    }

    /// <summary>Standard output.</summary>
    public TextWriter Out { get; }

    /// <summary>Standard error: warnings and progress notes that must not mix with what scripts read.</summary>
    public TextWriter Error { get; }

    /// <summary>Spectre's console over <see cref="Out"/>.</summary>
    public IAnsiConsole Ansi { get; }

    /// <summary>Whether a person is at the terminal: progress displays and prompts are shown only then.</summary>
    public bool Interactive { get; }

    /// <summary>The console of an invocation.</summary>
    public static CliConsole From(ParseResult parse)
    {
        ArgumentNullException.ThrowIfNull(parse);
        return new CliConsole(parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error);
    }

    /// <summary>Writes a warning to standard error.</summary>
    public void Warn(string message) => Error.WriteLine($"warning: {message}");
}
