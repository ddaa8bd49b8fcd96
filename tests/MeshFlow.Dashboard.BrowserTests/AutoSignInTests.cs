using System.Text.RegularExpressions;
using MeshFlow.Dashboard.BrowserTests.Support;
using Microsoft.Playwright;

namespace MeshFlow.Dashboard.BrowserTests;

/// <summary>The AppHost's case: a dashboard given <c>MESHFLOW_DASHBOARD_API_KEY</c> opens straight onto the runs.</summary>
[Collection(DashboardTests.Name)]
public sealed partial class AutoSignInTests(DashboardFixture fixture)
{
    [Fact]
    public async Task A_visitor_without_a_cookie_opens_straight_onto_the_runs_and_a_sign_out_sticks()
    {
        var dashboard = await DashboardFixture.StartDashboardAsync(fixture.ApiUrl, $"--MESHFLOW_DASHBOARD_API_KEY={DashboardFixture.UserKey}");
        var page = await fixture.NewPageAsync(DashboardFixture.AddressOf(dashboard));
        try
        {
            await page.GotoAsync("");
            await Assertions.Expect(page).ToHaveURLAsync(RunsUrl());
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Runs" })).ToBeVisibleAsync();
            Assert.DoesNotContain(DashboardFixture.UserKey, await page.ContentAsync(), StringComparison.Ordinal);

            await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(SignInUrl());
            await page.GotoAsync("runs");
            await Assertions.Expect(page).ToHaveURLAsync(SignInUrl());
            await Assertions.Expect(page.Locator("#api-key")).ToBeVisibleAsync();
        }
        finally
        {
            await DashboardFixture.ScreenshotAsync(page, nameof(A_visitor_without_a_cookie_opens_straight_onto_the_runs_and_a_sign_out_sticks));
            await page.Context.CloseAsync();
            await DashboardFixture.StopAsync(dashboard);
        }
    }

    [Fact]
    public async Task A_sign_out_without_the_antiforgery_token_is_refused_and_the_visitor_stays_signed_in()
    {
        var dashboard = await DashboardFixture.StartDashboardAsync(fixture.ApiUrl, $"--MESHFLOW_DASHBOARD_API_KEY={DashboardFixture.UserKey}");
        var page = await fixture.NewPageAsync(DashboardFixture.AddressOf(dashboard));
        try
        {
            await page.GotoAsync("runs");
            await Assertions.Expect(page).ToHaveURLAsync(RunsUrl());

            // The page's cookies go along, as another site's form would send them; the token does not.
            var response = await page.APIRequest.PostAsync(new Uri(DashboardFixture.AddressOf(dashboard), "signout").ToString(), new() { MaxRedirects = 0 });

            Assert.Equal(400, response.Status);
            await page.GotoAsync("runs");
            await Assertions.Expect(page).ToHaveURLAsync(RunsUrl());
        }
        finally
        {
            await DashboardFixture.ScreenshotAsync(page, nameof(A_sign_out_without_the_antiforgery_token_is_refused_and_the_visitor_stays_signed_in));
            await page.Context.CloseAsync();
            await DashboardFixture.StopAsync(dashboard);
        }
    }

    [Fact]
    public async Task A_configured_key_the_API_refuses_leaves_the_visitor_on_the_sign_in_page()
    {
        var dashboard = await DashboardFixture.StartDashboardAsync(fixture.ApiUrl, "--MESHFLOW_DASHBOARD_API_KEY=revoked-dev-key-0000");
        var page = await fixture.NewPageAsync(DashboardFixture.AddressOf(dashboard));
        try
        {
            await page.GotoAsync("runs");
            await Assertions.Expect(page).ToHaveURLAsync(SignInUrl());
            await Assertions.Expect(page.Locator("#api-key")).ToBeVisibleAsync();
            Assert.DoesNotContain("revoked-dev-key-0000", await page.ContentAsync(), StringComparison.Ordinal);
        }
        finally
        {
            await DashboardFixture.ScreenshotAsync(page, nameof(A_configured_key_the_API_refuses_leaves_the_visitor_on_the_sign_in_page));
            await page.Context.CloseAsync();
            await DashboardFixture.StopAsync(dashboard);
        }
    }

    [GeneratedRegex("/runs$")]
    private static partial Regex RunsUrl();

    [GeneratedRegex("/signin")]
    private static partial Regex SignInUrl();
}
