using MeshFlow.AppHost.Infrastructure;
using MeshFlow.AppHost.Infrastructure.Postgres;
using MeshFlow.LocalServers;

namespace MeshFlow.AppHost.Tests;

/// <summary>The local servers' passwords and folders, without starting a server.</summary>
public sealed class LocalServerTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("meshflow-apphost-local-");

    [Fact]
    public void A_password_is_generated_once_readable_by_its_owner_only_and_then_kept()
    {
        var path = Path.Combine(_root.FullName, "redis", "password");

        var first = new LocalSecret("redis-password", path).ReadOrCreate();
        var again = new LocalSecret("redis-password", path).ReadOrCreate();

        Assert.Equal(first, again);
        Assert.Matches("^[A-Za-z0-9]{32}$", first);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(path)!));
        }
    }

    [Fact]
    public void A_postgres_cluster_whose_password_file_is_gone_is_refused_rather_than_given_a_new_password()
    {
        var root = Path.Combine(_root.FullName, "postgres");
        var server = new LocalPostgresServerResource("postgres", new PostgresToolchain("/usr/lib/postgresql/15/bin", RunUser: null), root);
        Directory.CreateDirectory(server.DataDirectory);
        File.WriteAllText(Path.Combine(server.DataDirectory, "PG_VERSION"), "15\n");

        var refused = Assert.Throws<DistributedApplicationException>(() => server.Password.ReadOrCreate());

        Assert.Contains($"Delete {root}", refused.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(server.Password.Path));
    }

    public void Dispose() => _root.Delete(recursive: true);
}
