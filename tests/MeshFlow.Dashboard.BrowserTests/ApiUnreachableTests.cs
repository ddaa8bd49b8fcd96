using System.Net;
using System.Net.Sockets;
using MeshFlow.Dashboard.BrowserTests.Support;
using Microsoft.Playwright;

namespace MeshFlow.Dashboard.BrowserTests;

/// <summary>An API of the test's own that goes away and comes back on the same address.</summary>
[Collection(DashboardTests.Name)]
public sealed class ApiUnreachableTests(DashboardFixture fixture)
{
    [Fact]
    public async Task The_banner_says_the_API_cannot_be_reached_and_disappears_when_it_returns()
    {
        var data = Directory.CreateTempSubdirectory("meshflow-dashboard-outage-").FullName;
        var port = FreePort();
        var api = await DashboardFixture.StartApiAsync(data, port);
        var dashboard = await DashboardFixture.StartDashboardAsync(DashboardFixture.AddressOf(api), "--MESHFLOW_DASHBOARD_HEALTH_POLL_MS=250");
        var page = await fixture.NewPageAsync(DashboardFixture.AddressOf(dashboard));
        var banner = page.GetByTestId("api-unreachable");
        try
        {
            await SignInTests.SignInAsync(page, DashboardFixture.UserKey);
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Runs" })).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByTestId("runs-empty")).ToHaveTextAsync("No runs match these filters.");
            await Assertions.Expect(banner).ToHaveCountAsync(0);

            await DashboardFixture.StopAsync(api);
            api = null;
            await Assertions.Expect(banner).ToContainTextAsync("cannot be reached");
            await Assertions.Expect(page.GetByTestId("runs-error")).ToContainTextAsync("cannot be reached");
            await DashboardFixture.ScreenshotAsync(page, nameof(The_banner_says_the_API_cannot_be_reached_and_disappears_when_it_returns) + "-down");

            api = await DashboardFixture.StartApiAsync(data, port);
            await Assertions.Expect(banner).ToHaveCountAsync(0);
            await Assertions.Expect(page.GetByTestId("runs-error")).ToHaveCountAsync(0);
            await Assertions.Expect(page.GetByTestId("runs-empty")).ToHaveTextAsync("No runs match these filters.");
        }
        finally
        {
            await DashboardFixture.ScreenshotAsync(page, nameof(The_banner_says_the_API_cannot_be_reached_and_disappears_when_it_returns));
            await page.Context.CloseAsync();
            await DashboardFixture.StopAsync(dashboard);
            await DashboardFixture.StopAsync(api);
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    public async Task Signing_in_while_the_API_is_down_says_so()
    {
        var dashboard = await DashboardFixture.StartDashboardAsync(new Uri($"http://127.0.0.1:{FreePort()}"));
        var page = await fixture.NewPageAsync(DashboardFixture.AddressOf(dashboard));
        try
        {
            await page.GotoAsync("signin");
            await page.Locator("#api-key").FillAsync(DashboardFixture.UserKey);
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

            await Assertions.Expect(page.GetByTestId("signin-error")).ToHaveTextAsync("The MeshFlow API cannot be reached.");
        }
        finally
        {
            await DashboardFixture.ScreenshotAsync(page, nameof(Signing_in_while_the_API_is_down_says_so));
            await page.Context.CloseAsync();
            await DashboardFixture.StopAsync(dashboard);
        }
    }

    // A port nothing listens on once this returns; the API that is started on it later takes it back.
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
