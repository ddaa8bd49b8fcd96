namespace MeshFlow.Testing.Postgres.Tests;

[Collection(typeof(ProcessEnvironmentChanges))]
public sealed class MissingBinariesTests
{
    [Fact]
    public async Task PG_BIN_without_binaries_fails_with_what_is_missing_and_how_to_get_it()
    {
        var empty = Directory.CreateTempSubdirectory("meshflow-pg-bin-").FullName;
        var previous = Environment.GetEnvironmentVariable("PG_BIN");
        try
        {
            Environment.SetEnvironmentVariable("PG_BIN", empty);

            var error = await Assert.ThrowsAsync<PostgresNotAvailableException>(() => PostgresServer.StartAsync(TestContext.Current.CancellationToken));

            Assert.Contains($"PG_BIN is set to '{empty}'", error.Message, StringComparison.Ordinal);
            Assert.Contains("initdb, pg_ctl, postgres", error.Message, StringComparison.Ordinal);
            Assert.Contains(Path.Combine(empty, "initdb"), error.Message, StringComparison.Ordinal);
            Assert.Contains("apt-get install -y postgresql", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("PG_BIN", previous);
            Directory.Delete(empty);
        }
    }

    [Fact]
    public async Task PG_BIN_pointing_nowhere_says_the_folder_does_not_exist()
    {
        var missing = Path.Combine(Path.GetTempPath(), "meshflow-no-such-folder-" + Guid.NewGuid().ToString("N"));
        var previous = Environment.GetEnvironmentVariable("PG_BIN");
        try
        {
            Environment.SetEnvironmentVariable("PG_BIN", missing);

            var error = await Assert.ThrowsAsync<PostgresNotAvailableException>(() => PostgresServer.StartAsync(TestContext.Current.CancellationToken));

            Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
            Assert.Contains("apt-get install -y postgresql", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable("PG_BIN", previous);
        }
    }
}
