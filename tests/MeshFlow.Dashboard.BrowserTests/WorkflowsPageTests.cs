using System.Text.RegularExpressions;
using MeshFlow.Dashboard.BrowserTests.Support;
using Microsoft.Playwright;

namespace MeshFlow.Dashboard.BrowserTests;

[Collection(DashboardTests.Name)]
public sealed partial class WorkflowsPageTests(DashboardFixture dashboard)
{
    // Line 7 sends the edge to a node that does not exist.
    private const string UnknownNodeOnLine7 = "name: broken\nnodes:\n  - id: writer\n    model: offline\nedges:\n  - from: writer\n    to: ghost\n";

    private const string Valid = "name: editor-run\nnodes:\n  - id: writer\n    model: offline\n    instructions: Draft the clause.\n  - id: ghost\n    model: scripted\n    responses: [APPROVED]\nedges:\n  - from: writer\n    to: ghost\n";

    [Fact]
    public async Task A_validation_error_is_shown_at_its_line_and_goes_away_once_fixed()
    {
        var page = await OpenEditorAsync();
        try
        {
            await page.GetByTestId("yaml").FillAsync(UnknownNodeOnLine7);

            var marker = page.GetByTestId("gutter-marker");
            await Assertions.Expect(marker).ToHaveAttributeAsync("data-line", "7");
            await Assertions.Expect(marker).ToHaveAttributeAsync("title", new Regex("ghost"));
            var entry = page.Locator("[data-testid=problems] .problem-link");
            await Assertions.Expect(entry).ToHaveCountAsync(1);
            await Assertions.Expect(entry).ToHaveTextAsync(ProblemAtLine7());
            await Assertions.Expect(page.GetByTestId("run")).ToHaveJSPropertyAsync("disabled", true);
            await DashboardFixture.ScreenshotAsync(page, nameof(A_validation_error_is_shown_at_its_line_and_goes_away_once_fixed) + "-invalid");

            // The list entry takes the caret to the problem's line.
            await entry.ClickAsync();
            var caretLine = await page.GetByTestId("yaml").EvaluateAsync<int>("t => t.value.slice(0, t.selectionStart).split('\\n').length");
            Assert.Equal(7, caretLine);

            await page.GetByTestId("yaml").FillAsync(Valid);
            await Assertions.Expect(page.GetByTestId("yaml-editor")).ToHaveAttributeAsync("data-state", "valid");
            await Assertions.Expect(page.GetByTestId("gutter-marker")).ToHaveCountAsync(0);
            await Assertions.Expect(page.GetByTestId("problems")).ToHaveCountAsync(0);
            await Assertions.Expect(page.GetByTestId("run")).ToHaveJSPropertyAsync("disabled", false);
        }
        finally
        {
            await DashboardFixture.ScreenshotAsync(page, nameof(A_validation_error_is_shown_at_its_line_and_goes_away_once_fixed));
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task Run_starts_the_edited_workflow_and_opens_its_run_page()
    {
        var page = await OpenEditorAsync();
        try
        {
            await page.GetByTestId("yaml").FillAsync(Valid);
            await Assertions.Expect(page.GetByTestId("yaml-editor")).ToHaveAttributeAsync("data-state", "valid");
            await Assertions.Expect(page.GetByTestId("run")).ToHaveJSPropertyAsync("disabled", false);
            await page.GetByTestId("run-input").FillAsync("An NDA for a supplier.");

            await page.GetByTestId("run").ClickAsync();

            await Assertions.Expect(page).ToHaveURLAsync(RunPageUrl());
        }
        finally
        {
            await DashboardFixture.ScreenshotAsync(page, nameof(Run_starts_the_edited_workflow_and_opens_its_run_page));
            await page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task The_registered_workflows_are_listed()
    {
        var page = await OpenEditorAsync();
        try
        {
            // The API registers its shipped examples; review.yaml is one of them.
            await Assertions.Expect(page.Locator("[data-testid=workflows] tr[data-workflow='review']")).ToBeVisibleAsync();
        }
        finally
        {
            await DashboardFixture.ScreenshotAsync(page, nameof(The_registered_workflows_are_listed));
            await page.Context.CloseAsync();
        }
    }

    private async Task<IPage> OpenEditorAsync()
    {
        var page = await dashboard.NewPageAsync();
        await SignInTests.SignInAsync(page, DashboardFixture.WorkflowsUserKey);
        await page.GotoAsync("workflows");
        // The template is validated when the page opens; waiting for it keeps its answer from landing after an edit.
        await Assertions.Expect(page.GetByTestId("yaml-editor")).ToHaveAttributeAsync("data-interactive", "yes");
        await Assertions.Expect(page.GetByTestId("yaml-editor")).ToHaveAttributeAsync("data-state", "valid");
        return page;
    }

    [GeneratedRegex("^line 7, column \\d+: .*ghost")]
    private static partial Regex ProblemAtLine7();

    [GeneratedRegex("/runs/run_[A-Za-z0-9_-]+$")]
    private static partial Regex RunPageUrl();
}
