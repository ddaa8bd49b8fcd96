using MeshFlow.Dashboard.BrowserTests.Support;
using Microsoft.Playwright;

namespace MeshFlow.Dashboard.BrowserTests;

[Collection(DashboardTests.Name)]
public sealed class SignInTests(DashboardFixture dashboard)
{
    [Fact]
    public async Task A_wrong_key_shows_a_clear_message_and_no_stack_trace()
    {
        var page = await dashboard.NewPageAsync();
        try
        {
            await page.GotoAsync("runs");
            await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/signin"));

            await page.Locator("#api-key").FillAsync("not-a-real-key-0000");
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

            var error = page.GetByTestId("signin-error");
            await Assertions.Expect(error).ToContainTextAsync("not accepted");
            var html = await page.ContentAsync();
            Assert.DoesNotContain("Exception", html, StringComparison.Ordinal);
            Assert.DoesNotContain("not-a-real-key-0000", html, StringComparison.Ordinal);
            Assert.Contains("/signin", page.Url, StringComparison.Ordinal);
        }
        finally
        {
            await DashboardFixture.ScreenshotAsync(page, nameof(A_wrong_key_shows_a_clear_message_and_no_stack_trace));
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task A_good_key_lands_on_the_runs_list()
    {
        var page = await dashboard.NewPageAsync();
        try
        {
            await SignInAsync(page, DashboardFixture.UserKey);

            await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/runs$"));
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Runs" })).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByTestId("runs-empty")).ToHaveTextAsync("No runs match these filters.");
            // GET /me told the dashboard whose key it is.
            await Assertions.Expect(page.GetByTestId("signed-in-as")).ToHaveTextAsync("Signed in to globex as user");
        }
        finally
        {
            await DashboardFixture.ScreenshotAsync(page, nameof(A_good_key_lands_on_the_runs_list));
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task The_key_never_appears_in_the_page_its_url_or_a_script_readable_cookie()
    {
        var page = await dashboard.NewPageAsync();
        try
        {
            await SignInAsync(page, DashboardFixture.AdminKey);
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Runs" })).ToBeVisibleAsync();
            await Assertions.Expect(page.GetByTestId("signed-in-as")).ToBeVisibleAsync();

            Assert.DoesNotContain(DashboardFixture.AdminKey, await page.ContentAsync(), StringComparison.Ordinal);
            Assert.DoesNotContain(DashboardFixture.AdminKey, page.Url, StringComparison.Ordinal);
            Assert.DoesNotContain(DashboardFixture.AdminKey, await page.EvaluateAsync<string>("document.cookie"), StringComparison.Ordinal);

            // The cookie holds it only data-protected: not as text, nor as its base64.
            var cookies = await page.Context.CookiesAsync();
            Assert.Contains(cookies, c => c.Name == Hosting.DashboardHost.CookieName && c.HttpOnly);
            var base64 = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(DashboardFixture.AdminKey));
            Assert.All(cookies, c =>
            {
                Assert.DoesNotContain(DashboardFixture.AdminKey, c.Value, StringComparison.Ordinal);
                Assert.DoesNotContain(base64.TrimEnd('='), c.Value, StringComparison.Ordinal);
            });
        }
        finally
        {
            await DashboardFixture.ScreenshotAsync(page, nameof(The_key_never_appears_in_the_page_its_url_or_a_script_readable_cookie));
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task Signing_out_returns_to_the_sign_in_page_and_the_runs_need_a_key_again()
    {
        var page = await dashboard.NewPageAsync();
        try
        {
            await SignInAsync(page, DashboardFixture.UserKey);
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Runs" })).ToBeVisibleAsync();

            await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
            await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/signin"));

            await page.GotoAsync("runs");
            await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/signin\\?ReturnUrl="));
        }
        finally
        {
            await DashboardFixture.ScreenshotAsync(page, nameof(Signing_out_returns_to_the_sign_in_page_and_the_runs_need_a_key_again));
            await page.Context.CloseAsync();
        }
    }

    internal static async Task SignInAsync(IPage page, string apiKey)
    {
        await page.GotoAsync("signin");
        await page.Locator("#api-key").FillAsync(apiKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/runs$"));
    }
}
