using MeshFlow.Tools.BuiltIn;

namespace MeshFlow.Tools.Sandbox;

/// <summary>
/// Refuses the options through which an allowed program would write a file, run another program or change the
/// system: for every program, <c>--output</c>, <c>--compress-program</c>, <c>-exec</c>, <c>-execdir</c>, <c>-ok</c>,
/// <c>-okdir</c>, <c>-delete</c>, <c>-fprint*</c>, <c>-fls</c> (find's); and per program the short forms
/// (<c>sort -o</c>, <c>date -s</c>/<c>--set</c>) and writing operands (<c>uniq in out</c>).
/// </summary>
/// <remarks>
/// Long options are refused by any prefix a program would accept as an abbreviation (<c>--out=x</c> for
/// <c>--output=x</c>), and short options inside a cluster (<c>-uo x</c>). The sandbox already has nothing writable
/// beyond its scratch folder and no privilege; these rules keep the allowed programs to what they are allowed for.
/// </remarks>
internal static class ShellArgumentRules
{
    private static readonly string[] RefusedLongOptions = ["output", "compress-program", "set"];

    private static readonly string[] RefusedSingleDashWords = ["-exec", "-execdir", "-ok", "-okdir", "-delete", "-fprint", "-fls"];

    // The short options that write or change something, and those that take a value (the rest of a cluster is that value).
    private static readonly Dictionary<string, (string Refused, string TakesValue)> ShortOptions = new(StringComparer.Ordinal)
    {
        ["sort"] = ("o", "ktST"),
        ["date"] = ("s", "dfrI"),
        ["tee"] = ("", ""),
        ["uniq"] = ("", "fsw"),
        ["split"] = ("", "abClnt"),
    };

    private static readonly HashSet<string> WritesEveryOperand = new(StringComparer.Ordinal) { "tee", "split", "cp", "mv", "rm", "dd", "touch", "mkdir", "ln", "install", "chmod", "chown", "truncate", "shred" };

    // Programs whose purpose is to run other code: a configured one would turn the allow-list into any program.
    private static readonly HashSet<string> RunsPrograms = new(StringComparer.Ordinal)
    {
        "sh", "bash", "dash", "zsh", "ksh", "busybox", "env", "xargs", "nice", "nohup", "timeout", "stdbuf", "setsid",
        "sudo", "su", "chroot", "perl", "python", "python3", "awk", "gawk", "mawk", "sed", "parallel", "watch",
    };

    /// <summary>Throws when <paramref name="arguments"/> (without the program) use a refused option.</summary>
    public static void Check(string program, IReadOnlyList<string> arguments)
    {
        if (RunsPrograms.Contains(program))
        {
            throw Refused(program, "any arguments", "it runs other programs");
        }

        if (WritesEveryOperand.Contains(program))
        {
            throw Refused(program, "any arguments", "it writes files");
        }

        ShortOptions.TryGetValue(program, out var shortOptions);
        var operands = 0;
        for (var i = 0; i < arguments.Count; i++)
        {
            var argument = arguments[i];
            if (argument.StartsWith("--", StringComparison.Ordinal) && argument.Length > 2)
            {
                var name = argument[2..].Split('=')[0];
                if (RefusedLongOptions.Any(refused => refused.StartsWith(name, StringComparison.Ordinal) || name.StartsWith(refused, StringComparison.Ordinal)))
                {
                    throw Refused(program, argument.Split('=')[0]);
                }
            }
            else if (argument.StartsWith('-') && argument.Length > 1)
            {
                if (RefusedSingleDashWords.Any(word => argument.StartsWith(word, StringComparison.Ordinal)))
                {
                    throw Refused(program, argument);
                }

                i += CheckCluster(program, argument, shortOptions);
            }
            else
            {
                operands++;
            }
        }

        // uniq's second operand is the file it writes.
        if (program == "uniq" && operands > 1)
        {
            throw Refused(program, "a second operand (its output file)");
        }
    }

    // Returns 1 when the cluster's last option takes its value from the next argument.
    private static int CheckCluster(string program, string cluster, (string Refused, string TakesValue) options)
    {
        for (var j = 1; j < cluster.Length; j++)
        {
            if (options.Refused?.Contains(cluster[j], StringComparison.Ordinal) == true)
            {
                throw Refused(program, "-" + cluster[j]);
            }

            if (options.TakesValue?.Contains(cluster[j], StringComparison.Ordinal) == true)
            {
                return j == cluster.Length - 1 && cluster[j] != 'I' ? 1 : 0;
            }
        }

        return 0;
    }

    private static BuiltInToolException Refused(string program, string what, string why = "the shell tool only reads") =>
        new($"shell: '{program}' with {what} is refused: {why}");
}
