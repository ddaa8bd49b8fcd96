using MeshFlow.LocalServers;

namespace MeshFlow.Testing.Postgres.Tests;

[Collection(typeof(ProcessEnvironmentChanges))]
public sealed class MissingBinariesTests
{
    [Fact]
    public async Task A_bin_folder_without_the_binaries_fails_with_what_is_missing_and_how_to_get_it()
    {
        var empty = Directory.CreateTempSubdirectory("meshflow-pg-bin-").FullName;
        var previous = Environment.GetEnvironmentVariable(LocalServerSettings.PostgresBin);
        try
        {
            Environment.SetEnvironmentVariable(LocalServerSettings.PostgresBin, empty);

            var error = await Assert.ThrowsAsync<PostgresNotAvailableException>(() => PostgresServer.StartAsync(TestContext.Current.CancellationToken));

            Assert.Equal(
                $"PostgreSQL server binaries (initdb, postgres, pg_ctl) not found in {empty} (MESHFLOW_POSTGRES_BIN): " +
                "it has no initdb, postgres, pg_ctl: apt-get install -y postgresql, or point MESHFLOW_POSTGRES_BIN at the " +
                "folder that holds them (e.g. /usr/lib/postgresql/15/bin)",
                error.Message);
        }
        finally
        {
            Environment.SetEnvironmentVariable(LocalServerSettings.PostgresBin, previous);
            Directory.Delete(empty);
        }
    }

    [Fact]
    public async Task A_bin_folder_that_lacks_one_tool_names_that_tool()
    {
        var partial = Directory.CreateTempSubdirectory("meshflow-pg-bin-").FullName;
        var previous = Environment.GetEnvironmentVariable(LocalServerSettings.PostgresBin);
        try
        {
            foreach (var tool in new[] { "initdb", "pg_ctl" })
            {
                var path = Path.Combine(partial, tool);
                await File.WriteAllTextAsync(path, "#!/bin/sh\n", TestContext.Current.CancellationToken);
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                }
            }

            Environment.SetEnvironmentVariable(LocalServerSettings.PostgresBin, partial);

            var error = await Assert.ThrowsAsync<PostgresNotAvailableException>(() => PostgresServer.StartAsync(TestContext.Current.CancellationToken));

            Assert.Contains($"not found in {partial} (MESHFLOW_POSTGRES_BIN): it has no postgres:", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(LocalServerSettings.PostgresBin, previous);
            Directory.Delete(partial, recursive: true);
        }
    }

    [Fact]
    public async Task A_bin_folder_that_does_not_exist_says_so()
    {
        var missing = Path.Combine(Path.GetTempPath(), "meshflow-no-such-folder-" + Guid.NewGuid().ToString("N"));
        var previous = Environment.GetEnvironmentVariable(LocalServerSettings.PostgresBin);
        try
        {
            Environment.SetEnvironmentVariable(LocalServerSettings.PostgresBin, missing);

            var error = await Assert.ThrowsAsync<PostgresNotAvailableException>(() => PostgresServer.StartAsync(TestContext.Current.CancellationToken));

            Assert.Contains($"not found in {missing} (MESHFLOW_POSTGRES_BIN): that folder does not exist", error.Message, StringComparison.Ordinal);
            Assert.Contains("apt-get install -y postgresql", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(LocalServerSettings.PostgresBin, previous);
        }
    }
}
