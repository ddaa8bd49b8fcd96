namespace MeshFlow.Testing.Redis;

/// <summary>Finds the <c>redis-server</c> binary to run.</summary>
internal static class RedisServerBinary
{
    public const string EnvironmentVariable = "MESHFLOW_REDIS_SERVER";
    public const string FileName = "redis-server";
    public const string InstallHint = "apt-get install -y redis-server";

    public static string Locate(string? explicitPath) =>
        Locate(explicitPath, Environment.GetEnvironmentVariable(EnvironmentVariable), Environment.GetEnvironmentVariable("PATH"));

    /// <summary>The explicit path, else the environment variable's, else the first <c>redis-server</c> on the path.</summary>
    /// <exception cref="RedisNotAvailableException">None of them names an existing file.</exception>
    public static string Locate(string? explicitPath, string? environmentValue, string? searchPath)
    {
        // An explicit choice never falls back: a wrong path must fail loudly.
        foreach (var (chosen, source) in new[] { (explicitPath, "RedisServerOptions.ServerPath"), (environmentValue, EnvironmentVariable) })
        {
            if (string.IsNullOrWhiteSpace(chosen))
            {
                continue;
            }

            return File.Exists(chosen)
                ? chosen
                : throw new RedisNotAvailableException(
                    $"redis-server not found: {source} is '{chosen}', which is not a file. Point it at a redis-server binary, or unset it and {InstallHint}.");
        }

        var searched = (searchPath ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        foreach (var directory in searched)
        {
            var candidate = Path.Combine(directory, FileName);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new RedisNotAvailableException(
            $"redis-server not found: {InstallHint} (as root), or set {EnvironmentVariable} to the binary's path. " +
            $"Searched PATH: {(searched.Length == 0 ? "(empty)" : string.Join(Path.PathSeparator, searched))}.");
    }
}
