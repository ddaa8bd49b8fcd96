using System.Globalization;

namespace MeshFlow.Testing.Postgres;

/// <summary>
/// The PostgreSQL server binaries to use, and how to run them: directly, or through
/// <c>runuser -u postgres --</c> when this process is root (PostgreSQL refuses to run as root).
/// </summary>
internal sealed class PostgresToolchain
{
    public const string BinEnvironmentVariable = "PG_BIN";
    public const string ServiceUser = "postgres";

    private const string InstallHint =
        "Install PostgreSQL with `apt-get install -y postgresql` (Debian/Ubuntu, as root; the binaries land in " +
        "/usr/lib/postgresql/<version>/bin), or set PG_BIN to a folder that holds initdb, pg_ctl and postgres.";

    private const string DebianRoot = "/usr/lib/postgresql";

    private static readonly string[] RequiredTools = ["initdb", "pg_ctl", "postgres"];
    private static readonly string[] RunuserCandidates = ["/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser", "/bin/runuser"];
    private static readonly TimeSpan PgConfigTimeout = TimeSpan.FromSeconds(15);

    private PostgresToolchain(string binDirectory, string? runuser)
    {
        BinDirectory = binDirectory;
        Runuser = runuser;
    }

    public string BinDirectory { get; }

    /// <summary>Path of <c>runuser</c> when tools run as the <c>postgres</c> user; null when they run as this process's user.</summary>
    public string? Runuser { get; }

    public bool RunsAsServiceUser => Runuser is not null;

    public static async Task<PostgresToolchain> LocateAsync(CancellationToken ct)
    {
        var binDirectory = await FindBinDirectoryAsync(ct).ConfigureAwait(false);
        if (!Environment.IsPrivilegedProcess)
        {
            return new PostgresToolchain(binDirectory, runuser: null);
        }

        var runuser = RunuserCandidates.FirstOrDefault(File.Exists)
            ?? throw new PostgresNotAvailableException(
                "This process runs as root, and PostgreSQL refuses to run as root, so its binaries must be run as the " +
                $"'{ServiceUser}' user through runuser, but runuser was not found (looked for {string.Join(", ", RunuserCandidates)}). " +
                "Install it with `apt-get install -y util-linux`, or run the tests as a non-root user.");
        if (!await ServiceUserExistsAsync(ct).ConfigureAwait(false))
        {
            throw new PostgresNotAvailableException(
                "This process runs as root, and PostgreSQL refuses to run as root, so its binaries must be run as the " +
                $"'{ServiceUser}' user, but there is no such user (`id -u {ServiceUser}` failed). `apt-get install -y postgresql` creates it " +
                $"(or `useradd --system --home-dir /var/lib/postgresql {ServiceUser}`); or run the tests as a non-root user.");
        }

        return new PostgresToolchain(binDirectory, runuser);
    }

    public string Tool(string name) => Path.Combine(BinDirectory, name);

    /// <summary>Runs a PostgreSQL tool (initdb, pg_ctl, ...) as the user that may run it.</summary>
    public Task<ProcessResult> RunToolAsync(
        string tool,
        IReadOnlyList<string> arguments,
        string workingDirectory,
        TimeSpan timeout,
        CancellationToken ct)
    {
        if (Runuser is null)
        {
            return ProcessRunner.RunAsync(Tool(tool), arguments, workingDirectory, timeout, ct);
        }

        string[] runuserArguments = ["-u", ServiceUser, "--", Tool(tool), .. arguments];
        return ProcessRunner.RunAsync(Runuser, runuserArguments, workingDirectory, timeout, ct);
    }

    private static async Task<string> FindBinDirectoryAsync(CancellationToken ct)
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(BinEnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            // An explicit override never falls back: a wrong PG_BIN must fail loudly.
            var missing = MissingTools(fromEnvironment);
            if (missing.Count > 0)
            {
                throw new PostgresNotAvailableException(
                    $"PG_BIN is set to '{fromEnvironment}', but " +
                    (Directory.Exists(fromEnvironment)
                        ? $"that folder has no {string.Join(", ", missing)} (expected {string.Join(", ", missing.Select(t => Path.Combine(fromEnvironment, t)))})."
                        : "that folder does not exist.") +
                    $" Point PG_BIN at the bin folder of a PostgreSQL server installation (e.g. {DebianRoot}/15/bin) or unset it. " +
                    InstallHint);
            }

            return fromEnvironment;
        }

        var searched = new List<string> { "PG_BIN is not set" };

        var debian = FindHighestDebianVersion();
        if (debian is not null)
        {
            return debian;
        }

        searched.Add($"no {DebianRoot}/<version>/bin holds {string.Join(", ", RequiredTools)}");

        var (pgConfigBin, pgConfigNote) = await AskPgConfigAsync(ct).ConfigureAwait(false);
        if (pgConfigBin is not null)
        {
            return pgConfigBin;
        }

        searched.Add(pgConfigNote);
        throw new PostgresNotAvailableException(
            $"PostgreSQL server binaries ({string.Join(", ", RequiredTools)}) were not found: {string.Join("; ", searched)}. " +
            InstallHint);
    }

    private static string? FindHighestDebianVersion()
    {
        if (!Directory.Exists(DebianRoot))
        {
            return null;
        }

        return Directory.EnumerateDirectories(DebianRoot)
            .Select(dir => (Dir: dir, Version: ParseVersion(Path.GetFileName(dir))))
            .Where(candidate => candidate.Version is not null)
            .OrderByDescending(candidate => candidate.Version)
            .Select(candidate => Path.Combine(candidate.Dir, "bin"))
            .FirstOrDefault(bin => MissingTools(bin).Count == 0);
    }

    private static Version? ParseVersion(string name)
    {
        if (int.TryParse(name, NumberStyles.None, CultureInfo.InvariantCulture, out var major))
        {
            return new Version(major, 0);
        }

        return Version.TryParse(name, out var version) ? version : null;
    }

    private static async Task<(string? BinDirectory, string Note)> AskPgConfigAsync(CancellationToken ct)
    {
        ProcessResult result;
        try
        {
            result = await ProcessRunner.RunAsync("pg_config", ["--bindir"], Environment.CurrentDirectory, PgConfigTimeout, ct)
                .ConfigureAwait(false);
        }
        catch (Exception e) when (ProcessRunner.IsNotFound(e))
        {
            return (null, "pg_config is not on PATH");
        }
        catch (TimeoutException)
        {
            return (null, "pg_config --bindir did not answer");
        }

        var bin = result.Output.Trim();
        if (result.ExitCode != 0 || bin.Length == 0)
        {
            return (null, $"pg_config --bindir failed (exit code {result.ExitCode})");
        }

        var missing = MissingTools(bin);
        return missing.Count == 0
            ? (bin, string.Empty)
            : (null, $"pg_config --bindir reports {bin}, which has no {string.Join(", ", missing)} (client tools only?)");
    }

    private static List<string> MissingTools(string binDirectory) =>
        RequiredTools.Where(tool => !File.Exists(Path.Combine(binDirectory, tool))).ToList();

    private static async Task<bool> ServiceUserExistsAsync(CancellationToken ct)
    {
        try
        {
            var result = await ProcessRunner.RunAsync("id", ["-u", ServiceUser], Environment.CurrentDirectory, PgConfigTimeout, ct)
                .ConfigureAwait(false);
            return result.ExitCode == 0;
        }
        catch (Exception e) when (ProcessRunner.IsNotFound(e))
        {
            return File.ReadLines("/etc/passwd").Any(line => line.StartsWith(ServiceUser + ":", StringComparison.Ordinal));
        }
    }
}
