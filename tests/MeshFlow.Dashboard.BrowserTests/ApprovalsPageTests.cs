using System.Net.Http.Json;
using System.Text.Json;
using MeshFlow.Dashboard.BrowserTests.Support;
using Microsoft.Playwright;

namespace MeshFlow.Dashboard.BrowserTests;

[Collection(DashboardTests.Name)]
public sealed class ApprovalsPageTests(DashboardFixture dashboard)
{
    // A human gate between two scripted steps: the run pauses at 'legal' until a reviewer decides.
    private const string HumanGate = """
        name: browser-human-gate
        nodes:
          - id: drafter
            model: scripted
            responses: [DRAFT]
          - id: legal
            kind: human
            instructions: Check the indemnity clause before the draft goes out.
          - id: sender
            model: scripted
            responses: [SENT]
        edges:
          - from: drafter
            to: legal
          - from: legal
            to: sender
        """;

    [Fact]
    public async Task A_reviewer_approves_a_paused_run_with_a_note_and_the_run_completes_while_a_user_sees_no_buttons()
    {
        var runId = await StartHumanGateAsync();
        var userPage = await dashboard.NewPageAsync();
        var page = await dashboard.NewPageAsync();
        try
        {
            // A user key of the same tenant sees the pause, read-only, and is told why.
            await SignInTests.SignInAsync(userPage, DashboardFixture.ApprovalsUserKey);
            await userPage.GotoAsync("approvals");
            await Assertions.Expect(userPage.GetByTestId("approvals-heading")).ToHaveAttributeAsync("data-interactive", "yes");
            var userRow = userPage.Locator($"tr.approval-row[data-run-id='{runId}']");
            await Assertions.Expect(userRow).ToBeVisibleAsync();
            await Assertions.Expect(userRow.GetByTestId("read-only")).ToHaveTextAsync("view only");
            await Assertions.Expect(userPage.GetByTestId("read-only-note")).ToContainTextAsync("only reviewer and admin keys can approve or reject");
            Assert.Equal(0, await userPage.GetByTestId("approve").CountAsync());
            Assert.Equal(0, await userPage.GetByTestId("reject").CountAsync());
            await DashboardFixture.ScreenshotAsync(userPage, nameof(A_reviewer_approves_a_paused_run_with_a_note_and_the_run_completes_while_a_user_sees_no_buttons) + "-user");

            await SignInTests.SignInAsync(page, DashboardFixture.ApprovalsReviewerKey);
            await page.GotoAsync("approvals");
            await Assertions.Expect(page.GetByTestId("approvals-heading")).ToHaveAttributeAsync("data-interactive", "yes");
            var row = page.Locator($"tr.approval-row[data-run-id='{runId}']");
            await Assertions.Expect(row).ToContainTextAsync("legal");
            await Assertions.Expect(row.Locator("a.run-link")).ToHaveAttributeAsync("href", $"runs/{runId}");
            await Assertions.Expect(row.GetByTestId("deadline")).ToContainTextAsync("left");

            await page.GetByTestId("reviewer-id").FillAsync("dr.lee");
            await row.GetByTestId("notes").FillAsync("Indemnity cap checked.");
            await row.GetByTestId("approve").ClickAsync();

            await Assertions.Expect(page.GetByTestId("decision-outcome")).ToContainTextAsync($"Run {runId} approved by dr.lee");
            await Assertions.Expect(row).ToHaveCountAsync(0);
            await DashboardFixture.ScreenshotAsync(page, nameof(A_reviewer_approves_a_paused_run_with_a_note_and_the_run_completes_while_a_user_sees_no_buttons));

            // The runs list follows the resumed run to its end; then the API itself is asked.
            await page.GotoAsync("runs");
            var status = page.Locator("tr", new() { Has = page.Locator($"a.run-link[data-run-id='{runId}']") }).Locator("[data-status]");
            await Assertions.Expect(status).ToHaveAttributeAsync("data-status", "completed");
            using var api = dashboard.CreateApiClient(DashboardFixture.ApprovalsReviewerKey);
            var run = await api.GetFromJsonAsync<JsonElement>($"/runs/{runId}", TestContext.Current.CancellationToken);
            Assert.Equal("completed", run.GetProperty("status").GetString());
        }
        finally
        {
            await DashboardFixture.ScreenshotAsync(page, nameof(A_reviewer_approves_a_paused_run_with_a_note_and_the_run_completes_while_a_user_sees_no_buttons) + "-end");
            await page.Context.CloseAsync();
            await userPage.Context.CloseAsync();
        }
    }

    private async Task<string> StartHumanGateAsync()
    {
        using var api = dashboard.CreateApiClient(DashboardFixture.ApprovalsReviewerKey);
        using var response = await api.PostAsJsonAsync("/runs", new { yaml = HumanGate, input = "NDA" }, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        var accepted = await response.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        return accepted.GetProperty("run_id").GetString()!;
    }
}
