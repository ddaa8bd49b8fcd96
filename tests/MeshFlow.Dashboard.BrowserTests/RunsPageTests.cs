using MeshFlow.Dashboard.BrowserTests.Support;
using Microsoft.Playwright;

namespace MeshFlow.Dashboard.BrowserTests;

[Collection(DashboardTests.Name)]
public sealed class RunsPageTests(DashboardFixture dashboard)
{
    [Fact]
    public async Task A_run_started_through_the_API_appears_in_the_open_list_and_its_status_follows_it()
    {
        var page = await dashboard.NewPageAsync();
        try
        {
            await SignInTests.SignInAsync(page, DashboardFixture.RunsUserKey);
            await Assertions.Expect(page.GetByTestId("runs-empty")).ToHaveTextAsync("No runs match these filters.");

            // Started after the page loaded: only the page's own polling can bring it in.
            var runId = await dashboard.StartRunAsync(DashboardFixture.RunsUserKey);

            var link = page.Locator($"a.run-link[data-run-id='{runId}']");
            await Assertions.Expect(link).ToHaveTextAsync("browser-review");
            await Assertions.Expect(link).ToHaveAttributeAsync("href", $"runs/{runId}");
            var row = page.Locator("tr", new() { Has = link });
            await Assertions.Expect(row.Locator("[data-status]")).ToHaveAttributeAsync("data-status", "completed");
            await Assertions.Expect(row.Locator("[data-status]")).ToHaveTextAsync("completed");
        }
        finally
        {
            await DashboardFixture.ScreenshotAsync(page, nameof(A_run_started_through_the_API_appears_in_the_open_list_and_its_status_follows_it));
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task Another_tenants_runs_are_not_listed()
    {
        var runId = await dashboard.StartRunAsync(DashboardFixture.AdminKey);
        var page = await dashboard.NewPageAsync();
        try
        {
            await SignInTests.SignInAsync(page, DashboardFixture.UserKey);
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Runs" })).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByTestId("runs-empty")).ToHaveTextAsync("No runs match these filters.");
            Assert.Equal(0, await page.Locator($"[data-run-id='{runId}']").CountAsync());
        }
        finally
        {
            await DashboardFixture.ScreenshotAsync(page, nameof(Another_tenants_runs_are_not_listed));
            await page.Context.CloseAsync();
        }
    }
}
