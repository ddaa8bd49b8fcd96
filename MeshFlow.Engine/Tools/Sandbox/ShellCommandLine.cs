using System.Text;
using MeshFlow.Tools.BuiltIn;

namespace MeshFlow.Tools.Sandbox;

/// <summary>
/// Splits a command line into arguments the way a POSIX shell quotes, and does nothing else a shell does: <c>;</c>,
/// <c>&amp;&amp;</c>, <c>|</c>, <c>$(...)</c>, backticks, <c>&gt;</c>, <c>&lt;</c>, <c>*</c> and <c>~</c> are characters
/// of an argument like any other.
/// </summary>
internal static class ShellCommandLine
{
    /// <summary>The arguments of <paramref name="command"/>, the program first.</summary>
    /// <exception cref="BuiltInToolException">A quote is not closed, the line ends in a backslash, or it is empty.</exception>
    public static IReadOnlyList<string> Split(string command)
    {
        ArgumentNullException.ThrowIfNull(command);
        if (command.Contains('\0', StringComparison.Ordinal))
        {
            throw new BuiltInToolException("shell: the command contains a NUL character");
        }

        var arguments = new List<string>();
        var current = new StringBuilder();
        var inArgument = false;
        for (var i = 0; i < command.Length; i++)
        {
            var c = command[i];
            switch (c)
            {
                case ' ' or '\t' or '\n' or '\r':
                    if (inArgument)
                    {
                        arguments.Add(current.ToString());
                        current.Clear();
                        inArgument = false;
                    }

                    break;
                case '\'':
                    var close = command.IndexOf('\'', i + 1);
                    if (close < 0)
                    {
                        throw Unterminated("single");
                    }

                    current.Append(command, i + 1, close - i - 1);
                    i = close;
                    inArgument = true;
                    break;
                case '"':
                    i = ReadDoubleQuoted(command, i + 1, current);
                    inArgument = true;
                    break;
                case '\\':
                    if (i + 1 >= command.Length)
                    {
                        throw new BuiltInToolException("shell: the command ends with a lone backslash");
                    }

                    // A backslash before a line break joins the lines, as in a shell.
                    if (command[i + 1] != '\n')
                    {
                        current.Append(command[i + 1]);
                        inArgument = true;
                    }

                    i++;
                    break;
                default:
                    current.Append(c);
                    inArgument = true;
                    break;
            }
        }

        if (inArgument)
        {
            arguments.Add(current.ToString());
        }

        return arguments.Count > 0 ? arguments : throw new BuiltInToolException("shell: the command is empty");
    }

    // Inside double quotes a backslash escapes only ", \, $, ` and a line break, as in a shell; $ and ` stay literal.
    private static int ReadDoubleQuoted(string command, int i, StringBuilder current)
    {
        for (; i < command.Length; i++)
        {
            var c = command[i];
            if (c == '"')
            {
                return i;
            }

            if (c == '\\' && i + 1 < command.Length && command[i + 1] is '"' or '\\' or '$' or '`' or '\n')
            {
                if (command[i + 1] != '\n')
                {
                    current.Append(command[i + 1]);
                }

                i++;
                continue;
            }

            current.Append(c);
        }

        throw Unterminated("double");
    }

    private static BuiltInToolException Unterminated(string kind) => new($"shell: a {kind} quote is not closed");
}
