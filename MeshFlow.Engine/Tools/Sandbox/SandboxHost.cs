using MeshFlow.Tools.BuiltIn;

namespace MeshFlow.Tools.Sandbox;

/// <summary>Finds what the sandbox needs on the host, naming what to install when something is missing.</summary>
internal static class SandboxHost
{
    /// <summary>bubblewrap's absolute path.</summary>
    public static string ResolveBubblewrap(string configured)
    {
        if (Path.IsPathRooted(configured))
        {
            return File.Exists(configured) ? configured : throw MissingBubblewrap();
        }

        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(folder, configured);
            if (Path.IsPathRooted(candidate) && File.Exists(candidate))
            {
                return candidate;
            }
        }

        return File.Exists("/usr/bin/" + configured) ? "/usr/bin/" + configured : throw MissingBubblewrap();
    }

    /// <summary>Checks that <paramref name="program"/>, prlimit and (as root) setpriv are there, under <c>/usr</c>.</summary>
    public static void RequireRuntime(string program, bool privileged)
    {
        if (!File.Exists(SandboxCommandLine.Prlimit) || (privileged && !File.Exists(SandboxCommandLine.Setpriv)))
        {
            throw new BuiltInToolException("the sandbox needs prlimit and setpriv; install them (apt-get install util-linux)");
        }

        if (!program.StartsWith("/usr/", StringComparison.Ordinal) || !File.Exists(program))
        {
            throw new BuiltInToolException(program.EndsWith("python3", StringComparison.Ordinal) || program.Contains("python", StringComparison.Ordinal)
                ? "the sandbox has no Python interpreter under /usr; install it (apt-get install python3)"
                : $"'{Path.GetFileName(program)}' is not installed under /usr/bin");
        }
    }

    private static BuiltInToolException MissingBubblewrap() =>
        new("the sandbox needs bubblewrap (bwrap), which is not installed; install it (apt-get install bubblewrap)");
}
