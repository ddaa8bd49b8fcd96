using System.Net.Http.Json;
using System.Text.Json;
using MeshFlow.Dashboard.BrowserTests.Support;
using Microsoft.Playwright;

namespace MeshFlow.Dashboard.BrowserTests;

/// <summary>The run page: live streaming, verdicts, not-found, verification and export. Runs belong to acme (the admin key).</summary>
[Collection(DashboardTests.Name)]
public sealed class RunPageTests(DashboardFixture dashboard)
{
    private const string Drafted = "The indemnification clause caps liability at twelve months of fees";

    // Both steps call the hold tool first, so the test decides when each may go on: the drafter's text streams into
    // the page while the closer still holds the run in flight.
    private const string HeldWorkflow = $$"""
        name: browser-live
        nodes:
          - id: drafter
            model: scripted
            tools: [hold]
            responses:
              - tool_call: { name: hold }
              - "{{Drafted}} and excludes consequential damages, with a carve-out for breaches of confidentiality."
          - id: closer
            model: scripted
            tools: [hold]
            responses:
              - tool_call: { name: hold }
              - Closed.
        edges:
          - from: drafter
            to: closer
        """;

    private const string TwoSteps = """
        name: browser-budget
        nodes:
          - id: writer
            model: scripted
            responses: [Drafted.]
          - id: critic
            model: scripted
            responses: [APPROVED]
        edges:
          - from: writer
            to: critic
        """;

    [Fact]
    public async Task A_live_run_streams_into_its_open_step_before_it_ends_and_then_shows_completed()
    {
        var runId = await StartAsync(HeldWorkflow, new { allowed_tools = new[] { HoldTool.Name }, risk = new Dictionary<string, string> { [HoldTool.Name] = "low" } });
        var page = await dashboard.NewPageAsync();
        try
        {
            await SignInTests.SignInAsync(page, DashboardFixture.AdminKey);
            await page.GotoAsync($"runs/{runId}");
            var status = page.GetByTestId("run-header").Locator("[data-status]");
            // The API says queued until the run's first step commits, and running after.
            await Assertions.Expect(status).ToHaveAttributeAsync("data-status", new System.Text.RegularExpressions.Regex("^(queued|running)$"));

            // The drafter is in flight (held): its bar comes from the live events, and opening it shows it streaming.
            var drafter = page.Locator("[data-testid=step-bar][data-step-id='drafter:1']");
            await Assertions.Expect(drafter).ToHaveAttributeAsync("data-verdict", "running");
            await drafter.ClickAsync();
            var open = page.GetByTestId("open-step");
            await Assertions.Expect(open).ToHaveAttributeAsync("data-step-id", "drafter:1");
            await Assertions.Expect(open.GetByTestId("step-output")).ToBeEmptyAsync();

            dashboard.Hold.Release();
            await Assertions.Expect(open.GetByTestId("step-output")).ToContainTextAsync(Drafted);
            // The closer still holds the run: the text arrived while the run was in flight.
            await Assertions.Expect(page.Locator("[data-testid=step-bar][data-step-id='closer:1']")).ToHaveAttributeAsync("data-verdict", "running");
            await Assertions.Expect(status).ToHaveAttributeAsync("data-status", "running");

            dashboard.Hold.Release();
            await Assertions.Expect(status).ToHaveAttributeAsync("data-status", "completed");
            await Assertions.Expect(page.Locator("[data-testid=step-bar][data-step-id='closer:1']")).ToHaveAttributeAsync("data-verdict", "commit");
            await Assertions.Expect(open.GetByTestId("step-output")).ToContainTextAsync("carve-out for breaches of confidentiality.");
            await Assertions.Expect(open.GetByTestId("tool-call")).ToContainTextAsync(HoldTool.Name);
        }
        finally
        {
            await DashboardFixture.ScreenshotAsync(page, nameof(A_live_run_streams_into_its_open_step_before_it_ends_and_then_shows_completed));
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task A_step_blocked_by_the_budget_shows_blocked_with_its_reason_on_a_red_bar()
    {
        var runId = await StartAsync(TwoSteps, new { max_steps = 1 });
        var page = await dashboard.NewPageAsync();
        try
        {
            await SignInTests.SignInAsync(page, DashboardFixture.AdminKey);
            await page.GotoAsync($"runs/{runId}");
            await Assertions.Expect(page.GetByTestId("run-header").Locator("[data-status]")).ToHaveAttributeAsync("data-status", "blocked");

            var row = page.Locator("[data-testid=step-row][data-step-id='critic:1']");
            await Assertions.Expect(row.GetByTestId("step-verdict")).ToHaveTextAsync("blocked");
            await Assertions.Expect(row.GetByTestId("block-reason")).ToHaveTextAsync("budget");
            await Assertions.Expect(row.GetByTestId("block-detail")).ToContainTextAsync("MaxSteps (1) reached");
            var writer = page.Locator("[data-testid=step-row][data-step-id='writer:1']");
            await Assertions.Expect(writer.GetByTestId("step-verdict")).ToHaveTextAsync("commit");

            var bar = page.Locator("[data-testid=step-bar][data-step-id='critic:1']");
            await Assertions.Expect(bar).ToHaveAttributeAsync("data-verdict", "blocked");
            // Fluent sets its tokens from script: wait for the red token, then compare the bar with it, resolved alike.
            await page.WaitForFunctionAsync("getComputedStyle(document.documentElement).getPropertyValue('--colorPaletteRedBackground3').trim() !== ''");
            var colours = await bar.EvaluateAsync<string[]>("""
                bar => {
                    const probe = document.createElement('div');
                    probe.style.backgroundColor = 'var(--colorPaletteRedBackground3)';
                    document.body.appendChild(probe);
                    const red = getComputedStyle(probe).backgroundColor;
                    probe.style.backgroundColor = 'var(--colorPaletteGreenBackground3)';
                    const green = getComputedStyle(probe).backgroundColor;
                    probe.remove();
                    return [getComputedStyle(bar).backgroundColor, red, green];
                }
                """);
            Assert.Equal(colours[1], colours[0]);
            Assert.NotEqual(colours[2], colours[0]);
        }
        finally
        {
            await DashboardFixture.ScreenshotAsync(page, nameof(A_step_blocked_by_the_budget_shows_blocked_with_its_reason_on_a_red_bar));
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task An_unknown_run_and_another_tenants_run_both_show_run_not_found()
    {
        var acmeRun = await dashboard.StartRunAsync(DashboardFixture.AdminKey);
        var page = await dashboard.NewPageAsync();
        try
        {
            await SignInTests.SignInAsync(page, DashboardFixture.UserKey);

            await page.GotoAsync("runs/run-that-does-not-exist");
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Run not found" })).ToBeVisibleAsync();
            var unknown = await page.GetByTestId("run-not-found").InnerTextAsync();

            await page.GotoAsync($"runs/{acmeRun}");
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Run not found" })).ToBeVisibleAsync();
            Assert.Equal(unknown, await page.GetByTestId("run-not-found").InnerTextAsync());
            Assert.Equal(0, await page.GetByTestId("run-header").CountAsync());
            Assert.DoesNotContain("browser-review", await page.ContentAsync(), StringComparison.Ordinal);
        }
        finally
        {
            await DashboardFixture.ScreenshotAsync(page, nameof(An_unknown_run_and_another_tenants_run_both_show_run_not_found));
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task A_finished_run_is_verified_and_exports_its_evidence_bundle_as_json()
    {
        var runId = await dashboard.StartRunAsync(DashboardFixture.AdminKey);
        var page = await dashboard.NewPageAsync();
        try
        {
            await SignInTests.SignInAsync(page, DashboardFixture.AdminKey);
            await page.GotoAsync($"runs/{runId}");
            await Assertions.Expect(page.GetByTestId("run-header").Locator("[data-status]")).ToHaveAttributeAsync("data-status", "completed");
            await Assertions.Expect(page.GetByTestId("verification")).ToHaveAttributeAsync("data-state", "verified");
            await Assertions.Expect(page.GetByTestId("verification")).ToHaveTextAsync("Verified");

            var download = await page.RunAndWaitForDownloadAsync(() => page.GetByTestId("export").ClickAsync());
            Assert.DoesNotContain(DashboardFixture.AdminKey, download.Url, StringComparison.Ordinal);
            Assert.Equal($"meshflow-run-{runId}.json", download.SuggestedFilename);
            using var bundle = JsonDocument.Parse(await File.ReadAllTextAsync(await download.PathAsync(), TestContext.Current.CancellationToken));
            Assert.Equal("meshflow-evidence/1", bundle.RootElement.GetProperty("format").GetString());
            Assert.Equal(runId, bundle.RootElement.GetProperty("run_id").GetString());
        }
        finally
        {
            await DashboardFixture.ScreenshotAsync(page, nameof(A_finished_run_is_verified_and_exports_its_evidence_bundle_as_json));
            await page.Context.CloseAsync();
        }
    }

    private async Task<string> StartAsync(string yaml, object policy)
    {
        using var client = dashboard.CreateApiClient(DashboardFixture.AdminKey);
        using var response = await client.PostAsJsonAsync("/runs", new { yaml, input = "NDA", policy }, TestContext.Current.CancellationToken);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        var accepted = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        return accepted.GetProperty("run_id").GetString()!;
    }
}
