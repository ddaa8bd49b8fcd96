using System.Globalization;

namespace MeshFlow.LocalServers;

/// <summary>The PostgreSQL server binaries on this machine, and how to run them.</summary>
/// <param name="BinDirectory">The folder holding <c>initdb</c>, <c>postgres</c> and <c>pg_ctl</c>.</param>
/// <param name="RunUser">
/// The <c>runuser</c> binary when this process runs as root (PostgreSQL refuses to); the tools then run as
/// <see cref="ServiceUser"/>. Null otherwise: they run as the current user.
/// </param>
public sealed record PostgresToolchain(string BinDirectory, string? RunUser)
{
    /// <summary>The operating-system user the server runs as when this process runs as root.</summary>
    public const string ServiceUser = "postgres";

    private const string InstallCommand = "apt-get install -y postgresql";
    private const string DebianRoot = "/usr/lib/postgresql";
    private static readonly string[] RequiredTools = ["initdb", "postgres", "pg_ctl"];
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(15);

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
    /// The binaries in <paramref name="configuredBin"/> when it is set (and only there: a wrong setting fails rather
    /// than falls back); otherwise the highest <c>/usr/lib/postgresql/&lt;version&gt;/bin</c>, then the folder of
    /// <c>initdb</c> on <c>PATH</c>, then what <c>pg_config --bindir</c> names. As root, also <c>runuser</c> and the
    /// <see cref="ServiceUser"/> user.
    /// </summary>
    /// <param name="configuredBin">The folder the user chose, or null.</param>
    /// <param name="setting">The name of the setting that chose it, for messages (<see cref="LocalServerSettings.PostgresBin"/>).</param>
    /// <param name="missing">When null is returned: what is missing and how to get it.</param>
    /// <returns>The toolchain, or null.</returns>
    public static PostgresToolchain? Locate(string? configuredBin, string setting, out MissingServer? missing)
    {
        ArgumentException.ThrowIfNullOrEmpty(setting);
        var tools = string.Join(", ", RequiredTools);

        string? binDirectory;
        if (!string.IsNullOrWhiteSpace(configuredBin))
        {
            var absent = MissingTools(configuredBin);
            if (absent.Count > 0)
            {
                missing = new MissingServer(
                    $"PostgreSQL server binaries ({tools}) not found in {configuredBin} ({setting}): " +
                    (Directory.Exists(configuredBin) ? $"it has no {string.Join(", ", absent)}" : "that folder does not exist"),
                    $"{InstallCommand}, or point {setting} at the folder that holds them (e.g. {DebianRoot}/15/bin)");
                return null;
            }

            binDirectory = configuredBin;
        }
        else
        {
            binDirectory = Candidates().FirstOrDefault(candidate => MissingTools(candidate).Count == 0);
            if (binDirectory is null)
            {
                missing = new MissingServer(
                    $"PostgreSQL server binaries ({tools}) not found in {DebianRoot}/<version>/bin, on PATH or by pg_config --bindir",
                    $"{InstallCommand} (or set {setting} to their folder)");
                return null;
            }
        }

        if (OperatingSystem.IsWindows() || !Environment.IsPrivilegedProcess)
        {
            missing = null;
            return new PostgresToolchain(binDirectory, RunUser: null);
        }

        var runUser = ExecutableSearch.FindOnPath("runuser");
        if (runUser is null || !ServiceUserExists())
        {
            missing = new MissingServer(
                $"running as root, PostgreSQL must run as the '{ServiceUser}' user through runuser, and " +
                (runUser is null ? "runuser (util-linux) was not found" : $"there is no '{ServiceUser}' user"),
                $"{InstallCommand} (it creates the '{ServiceUser}' user), or run as a regular user");
            return null;
        }

        missing = null;
        return new PostgresToolchain(binDirectory, runUser);
    }

    private static List<string> MissingTools(string directory) =>
        [.. RequiredTools.Where(tool => !ExecutableSearch.IsExecutableFile(Path.Combine(directory, tool)))];

    private static IEnumerable<string> Candidates()
    {
        if (Directory.Exists(DebianRoot))
        {
            // Highest version first; Debian names the folders by major version (15), older releases by 9.6 and the like.
            var versioned = Directory.EnumerateDirectories(DebianRoot)
                .Select(directory => (directory, version: ParseVersion(Path.GetFileName(directory))))
                .Where(candidate => candidate.version is not null)
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

        if (ExecutableSearch.FindOnPath("pg_config") is { } pgConfig
            && ProcessRunner.TryRun(pgConfig, ["--bindir"], ProbeTimeout) is { Succeeded: true } result
            && result.Output.Trim() is { Length: > 0 } bindir)
        {
            yield return bindir;
        }
    }

    private static Version? ParseVersion(string name) =>
        int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var major) ? new Version(major, 0)
        : Version.TryParse(name, out var version) ? version
        : null;

    private static bool ServiceUserExists() =>
        ProcessRunner.TryRun("id", ["-u", ServiceUser], ProbeTimeout) is { } result
            ? result.Succeeded
            : File.Exists("/etc/passwd") && File.ReadLines("/etc/passwd").Any(line => line.StartsWith(ServiceUser + ":", StringComparison.Ordinal));
}
