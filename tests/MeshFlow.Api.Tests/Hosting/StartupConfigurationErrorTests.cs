using MeshFlow.Api.Tests.Support;

namespace MeshFlow.Api.Tests.Hosting;

/// <summary>A setting the API cannot start with ends the process with one line on stderr that says what to fix.</summary>
public sealed class StartupConfigurationErrorTests
{
    private const string BadRoleKeys = "good-startup-key:acme:admin,secret-startup-key:acme:owner";

    [Fact]
    public async Task An_unknown_role_in_the_api_keys_exits_non_zero_with_one_line_naming_the_setting_and_the_roles()
    {
        var (exitCode, output, error) = await ApiProcess.RunUntilExitAsync(new Dictionary<string, string> { ["MESHFLOW_API_KEYS"] = BadRoleKeys });

        Assert.NotEqual(0, exitCode);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.Equal("MeshFlow.Api cannot start: MESHFLOW_API_KEYS entry 2 has an unknown role; roles are user, reviewer, admin.", line);
        Assert.DoesNotContain("   at ", output + error, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-startup-key", output + error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_number_setting_names_the_setting_and_its_range()
    {
        var (exitCode, _, error) = await ApiProcess.RunUntilExitAsync(new Dictionary<string, string>
        {
            ["MESHFLOW_API_KEYS"] = "good-startup-key",
            ["MESHFLOW_RATE_LIMIT"] = "lots",
        });

        Assert.Equal(1, exitCode);
        Assert.StartsWith("MeshFlow.Api cannot start: MESHFLOW_RATE_LIMIT must be a whole number from 0 to", error.Trim(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_trace_content_setting_stops_start_up_with_one_line_naming_it()
    {
        var (exitCode, output, error) = await ApiProcess.RunUntilExitAsync(new Dictionary<string, string>
        {
            ["MESHFLOW_API_KEYS"] = "good-startup-key",
            ["MESHFLOW_TRACE_CONTENT"] = "yes",
        });

        Assert.Equal(1, exitCode);
        var line = Assert.Single(error.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        Assert.StartsWith("MeshFlow.Api cannot start: MESHFLOW_TRACE_CONTENT must be 'true' or 'false'", line, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", output + error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_verbose_on_the_line_is_followed_by_the_whole_exception()
    {
        var (exitCode, _, error) = await ApiProcess.RunUntilExitAsync(new Dictionary<string, string>
        {
            ["MESHFLOW_API_KEYS"] = BadRoleKeys,
            ["MESHFLOW_VERBOSE"] = "true",
        });

        Assert.Equal(1, exitCode);
        Assert.StartsWith("MeshFlow.Api cannot start: MESHFLOW_API_KEYS entry 2", error, StringComparison.Ordinal);
        Assert.Contains("MeshFlowConfigurationException", error, StringComparison.Ordinal);
        Assert.Contains("   at ", error, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-startup-key", error, StringComparison.Ordinal);
    }
}
