using MeshFlow.Dashboard.BrowserTests.Support;
using Microsoft.Playwright;

namespace MeshFlow.Dashboard.BrowserTests;

[Collection(DashboardTests.Name)]
public sealed class OverviewPageTests(DashboardFixture dashboard)
{
    [Fact]
    public async Task An_admin_key_sees_the_overview_read_from_metrics_and_is_told_so()
    {
        await dashboard.StartRunAsync(DashboardFixture.AdminKey);
        var page = await dashboard.NewPageAsync();
        try
        {
            await SignInTests.SignInAsync(page, DashboardFixture.AdminKey);
            await page.GotoAsync("overview");

            await Assertions.Expect(page.GetByTestId("overview-source")).ToHaveAttributeAsync("data-source", "metrics");
            await Assertions.Expect(page.GetByTestId("overview-source")).ToContainTextAsync("/metrics");
            // The page read and parsed the API's /metrics. The counts themselves are not asserted here: every API host
            // this test process starts reports to meters named "MeshFlow", so the fixture's counters are not its own;
            // the API's MetricsEndpointTests assert exact deltas with Prometheus' own parser, one host at a time.
            await Assertions.Expect(page.Locator("[data-testid=totals-tile] dd[data-key=runs]"))
                .ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[0-9]+$"));
        }
        finally
        {
            await DashboardFixture.ScreenshotAsync(page, nameof(An_admin_key_sees_the_overview_read_from_metrics_and_is_told_so));
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task A_user_key_sees_its_tenants_run_counts_from_the_runs_list_and_is_told_so()
    {
        // A tenant of its own: these two runs are all it has.
        await dashboard.StartRunAsync(DashboardFixture.OverviewUserKey);
        await dashboard.StartRunAsync(DashboardFixture.OverviewUserKey);
        var page = await dashboard.NewPageAsync();
        try
        {
            await SignInTests.SignInAsync(page, DashboardFixture.OverviewUserKey);
            await page.GotoAsync("overview");

            // A user key may not read /metrics (it spans every tenant), so the page counts the tenant's runs list.
            await Assertions.Expect(page.GetByTestId("overview-source")).ToHaveAttributeAsync("data-source", "recentruns");
            await Assertions.Expect(page.GetByTestId("overview-source")).ToContainTextAsync("GET /runs");
            await Assertions.Expect(page.Locator("[data-testid=runs-by-status] dd[data-key=completed]")).ToHaveTextAsync("2");
            await Assertions.Expect(page.Locator("[data-testid=totals-tile] dd[data-key=runs]")).ToHaveTextAsync("2");
            await Assertions.Expect(page.Locator("[data-testid=runs-per-hour] rect.bar")).ToHaveCountAsync(24);
            await Assertions.Expect(page.Locator("[data-testid=health-tile] dd[data-key=ok]")).ToHaveTextAsync("ok");
        }
        finally
        {
            await DashboardFixture.ScreenshotAsync(page, nameof(A_user_key_sees_its_tenants_run_counts_from_the_runs_list_and_is_told_so));
            await page.Context.CloseAsync();
        }
    }
}
