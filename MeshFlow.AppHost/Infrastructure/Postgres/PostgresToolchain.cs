using MeshFlow.AppHost.Infrastructure.Processes;
using Microsoft.Extensions.Configuration;

namespace MeshFlow.AppHost.Infrastructure.Postgres;

/// <summary>The PostgreSQL server binaries on this machine, and how to run them.</summary>
/// <param name="BinDirectory">The folder holding <c>initdb</c>, <c>postgres</c> and <c>pg_ctl</c>.</param>
/// <param name="RunUser">
/// The <c>runuser</c> binary when the AppHost runs as root (PostgreSQL refuses to); the tools then run as
/// <see cref="ServiceUser"/>. Null otherwise: they run as the current user.
/// </param>
public sealed record PostgresToolchain(string BinDirectory, string? RunUser)
{
    /// <summary>The operating-system user the server runs as when the AppHost runs as root.</summary>
    public const string ServiceUser = "postgres";

    private const string InstallCommand = "apt-get install -y postgresql";
    private static readonly string[] RequiredTools = ["initdb", "postgres", "pg_ctl"];

    public bool RunsAsServiceUser => RunUser is not null;

    public string ToolPath(string tool) => Path.Combine(BinDirectory, tool);

    /// <summary>
    /// The command and arguments that run <paramref name="tool"/> with <paramref name="arguments"/>: through
    /// <c>runuser -u postgres --</c> as root, directly otherwise.
    /// </summary>
    public (string Command, IReadOnlyList<string> Arguments) Command(string tool, IEnumerable<string> arguments) =>
        RunUser is null
            ? (ToolPath(tool), arguments.ToList())
            : (RunUser, ["-u", ServiceUser, "--", ToolPath(tool), .. arguments]);

    /// <summary>
    /// <see cref="AppHostSettings.PostgresBin"/> when set (and only there); otherwise the highest
    /// <c>/usr/lib/postgresql/&lt;version&gt;/bin</c>, then the folder of <c>initdb</c> on <c>PATH</c>.
    /// </summary>
    /// <returns>The toolchain, or null with <paramref name="missing"/> saying what is missing and how to get it.</returns>
    public static PostgresToolchain? Locate(IConfiguration configuration, out MissingServer? missing)
    {
        ArgumentNullException.ThrowIfNull(configuration);

        string? binDirectory;
        if (configuration[AppHostSettings.PostgresBin] is { Length: > 0 } configured)
        {
            binDirectory = HasTools(configured) ? configured : null;
            if (binDirectory is null)
            {
                missing = new MissingServer(
                    $"PostgreSQL server binaries ({string.Join(", ", RequiredTools)}) not found in {configured} ({AppHostSettings.PostgresBin})",
                    $"{InstallCommand}, or point {AppHostSettings.PostgresBin} at the folder that holds them");
                return null;
            }
        }
        else
        {
            binDirectory = Candidates().FirstOrDefault(HasTools);
            if (binDirectory is null)
            {
                missing = new MissingServer(
                    $"PostgreSQL server binaries ({string.Join(", ", RequiredTools)}) not found in /usr/lib/postgresql/<version>/bin or on PATH",
                    $"{InstallCommand} (or set {AppHostSettings.PostgresBin} to their folder)");
                return null;
            }
        }

        if (OperatingSystem.IsWindows() || !Environment.IsPrivilegedProcess)
        {
            missing = null;
            return new PostgresToolchain(binDirectory, RunUser: null);
        }

        var runUser = ExecutableSearch.FindOnPath("runuser");
        if (runUser is null || ProcessRunner.TryRun("id", ["-u", ServiceUser], TimeSpan.FromSeconds(5)) is not { Succeeded: true })
        {
            missing = new MissingServer(
                $"running as root, PostgreSQL must run as the '{ServiceUser}' user through runuser, and {(runUser is null ? "runuser" : $"the '{ServiceUser}' user")} does not exist",
                $"{InstallCommand} (it creates the '{ServiceUser}' user), or run the AppHost as a regular user");
            return null;
        }

        missing = null;
        return new PostgresToolchain(binDirectory, runUser);
    }

    private static bool HasTools(string directory) =>
        RequiredTools.All(tool => ExecutableSearch.IsExecutableFile(Path.Combine(directory, tool)));

    private static IEnumerable<string> Candidates()
    {
        const string DebianRoot = "/usr/lib/postgresql";
        if (Directory.Exists(DebianRoot))
        {
            // Highest major version first.
            var versioned = Directory.EnumerateDirectories(DebianRoot)
                .Select(directory => (directory, version: int.TryParse(Path.GetFileName(directory), out var v) ? v : -1))
                .Where(candidate => candidate.version >= 0)
                .OrderByDescending(candidate => candidate.version)
                .Select(candidate => Path.Combine(candidate.directory, "bin"));
            foreach (var directory in versioned)
            {
                yield return directory;
            }
        }

        if (ExecutableSearch.FindOnPath("initdb") is { } initdb)
        {
            yield return Path.GetDirectoryName(initdb)!;
        }
    }
}
