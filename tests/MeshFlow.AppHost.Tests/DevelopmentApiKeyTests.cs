using MeshFlow.AppHost.ApiKeys;
using MeshFlow.AppHost.Banner;

namespace MeshFlow.AppHost.Tests;

/// <summary>The development key's file and the banner that shows it, without starting anything.</summary>
public sealed class DevelopmentApiKeyTests : IDisposable
{
    private readonly DirectoryInfo _data = Directory.CreateTempSubdirectory("meshflow-apphost-key-");

    [Fact]
    public void The_key_is_made_once_in_an_owner_only_file_and_read_again_on_the_next_start()
    {
        var first = ApiKeyExtensions.DevelopmentKeyOf(_data.FullName).ReadOrCreate();
        var second = ApiKeyExtensions.DevelopmentKeyOf(_data.FullName).ReadOrCreate();

        var path = Path.Combine(_data.FullName, "api", "api-key");
        Assert.Equal(first, second);
        Assert.Equal(first, File.ReadAllText(path).Trim());
        Assert.Matches("^[A-Za-z0-9]{32}$", first);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(path)!));
        }
    }

    [Fact]
    public void Another_data_folder_gets_another_key()
    {
        var other = Directory.CreateTempSubdirectory("meshflow-apphost-key-");
        try
        {
            Assert.NotEqual(
                ApiKeyExtensions.DevelopmentKeyOf(_data.FullName).ReadOrCreate(),
                ApiKeyExtensions.DevelopmentKeyOf(other.FullName).ReadOrCreate());
        }
        finally
        {
            other.Delete(recursive: true);
        }
    }

    [Fact]
    public void The_banner_says_where_everything_is_and_shows_the_development_key_and_its_file()
    {
        var text = RunningBanner.Format(new RunningBannerInfo(
            "http://localhost:5180", "http://localhost:5182", "http://localhost:15080", "Abc123", "/data/api/api-key"));

        Assert.Equal(
            [
                "",
                "MeshFlow is running.",
                "  API:        http://localhost:5180",
                "  Dashboard:  http://localhost:5182",
                "  Aspire:     http://localhost:15080 (sign in with the 'Login to the dashboard at' link Aspire printed above)",
                "  API key:    Abc123",
                "  Key file:   /data/api/api-key",
                "  Try:        curl -H \"Authorization: Bearer Abc123\" http://localhost:5180/workflows",
                "",
            ],
            text.Split(Environment.NewLine)[..^1]);
    }

    [Fact]
    public void With_the_users_keys_the_banner_names_the_setting_instead_of_a_key()
    {
        var text = RunningBanner.Format(new RunningBannerInfo("http://127.0.0.1:40001", "http://127.0.0.1:40002", Aspire: null, ApiKey: null, KeyFile: null));

        var lines = text.Split(Environment.NewLine);
        Assert.Contains("  API key:    from MESHFLOW_API_KEYS", lines);
        Assert.Contains("  Aspire:     not running", lines);
        Assert.DoesNotContain(lines, line => line.StartsWith("  Key file:", StringComparison.Ordinal));
    }

    public void Dispose() => _data.Delete(recursive: true);
}
