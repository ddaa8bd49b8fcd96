using MeshFlow.Dashboard.Session;

namespace MeshFlow.Dashboard.Tests;

public sealed class LocalUrlsTests
{
    [Theory]
    [InlineData("/runs/r1", "/runs/r1")]
    [InlineData("/", "/")]
    [InlineData(null, "/runs")]
    [InlineData("", "/runs")]
    [InlineData("//evil.example/runs", "/runs")]
    [InlineData("/\\evil.example", "/runs")]
    [InlineData("https://evil.example/", "/runs")]
    [InlineData("/\t/evil.example", "/runs")]
    [InlineData("/\r\n/evil.example", "/runs")]
    [InlineData("/\t\\evil", "/runs")]
    [InlineData("//evil", "/runs")]
    [InlineData("/\\evil", "/runs")]
    [InlineData("https://evil", "/runs")]
    [InlineData("~/runs", "/runs")]
    public void After_sign_in_only_a_path_of_this_dashboard_is_followed(string? returnUrl, string expected) =>
        Assert.Equal(expected, LocalUrls.OrRuns(returnUrl));
}
