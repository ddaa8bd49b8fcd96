using System.Text.Json;
using Bunit;
using MeshFlow.Dashboard.ApiClient;
using MeshFlow.Dashboard.Components.Approvals;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.FluentUI.AspNetCore.Components;

namespace MeshFlow.Dashboard.Tests.Components;

public sealed class ApprovalRowTests : BunitContext
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 15, 0, 0, TimeSpan.Zero);

    private static readonly PendingApproval Pause = new(
        RunId: "run_0001", Workflow: "contract", NodeId: "legal", StepId: "step_3", PauseSeq: 4, Stage: "gate",
        Reason: "kind: human node", BlockReason: null, Tier: "high",
        Context: JsonDocument.Parse("""{"draft":"The supplier indemnifies..."}""").RootElement,
        CreatedAt: Now.AddMinutes(-10), ExpiresAt: Now.AddHours(2).AddMinutes(5), Escalated: false, State: "pending");

    public ApprovalRowTests()
    {
        Services.AddFluentUIComponents();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    [Fact]
    public void A_reviewer_key_gets_approve_and_reject_and_approving_sends_the_pause_the_reviewer_and_the_notes()
    {
        PauseDecision? sent = null;
        var row = RenderRow(canDecide: true, reviewer: "dr.lee", decision => sent = decision);

        row.Find("[data-testid=notes]").Input("Checked the indemnity cap.");
        row.Find("[data-testid=approve]").Click();

        Assert.Single(row.FindAll("[data-testid=reject]"));
        Assert.Empty(row.FindAll("[data-testid=read-only]"));
        Assert.Equal(new PauseDecision("run_0001", 4, Approve: true, "dr.lee", "Checked the indemnity cap."), sent);
    }

    [Fact]
    public void Rejecting_sends_a_rejection_of_the_same_pause()
    {
        PauseDecision? sent = null;
        var row = RenderRow(canDecide: true, reviewer: "dr.lee", decision => sent = decision);

        row.Find("[data-testid=reject]").Click();

        Assert.Equal(new PauseDecision("run_0001", 4, Approve: false, "dr.lee", null), sent);
    }

    [Fact]
    public void A_user_key_sees_the_approval_without_any_decision_control()
    {
        var decided = false;
        var row = RenderRow(canDecide: false, reviewer: "dr.lee", _ => decided = true);

        Assert.Empty(row.FindAll("[data-testid=approve]"));
        Assert.Empty(row.FindAll("[data-testid=reject]"));
        Assert.Empty(row.FindAll("[data-testid=notes]"));
        Assert.Equal("view only", row.Find("[data-testid=read-only]").TextContent);
        Assert.Contains("legal", row.Markup, StringComparison.Ordinal);
        Assert.False(decided);
    }

    [Fact]
    public void Without_a_reviewer_name_the_buttons_are_disabled_and_a_click_sends_nothing()
    {
        var decided = false;
        var row = RenderRow(canDecide: true, reviewer: " ", _ => decided = true);

        Assert.True(row.Find("[data-testid=approve]").HasAttribute("disabled"));
        row.Find("[data-testid=approve]").Click();

        Assert.False(decided);
    }

    [Fact]
    public void The_deadline_shows_the_time_left_and_a_passed_one_is_overdue()
    {
        var row = RenderRow(canDecide: false, reviewer: null, _ => { });
        Assert.Contains("2 h 05 m left", row.Find("[data-testid=deadline]").TextContent, StringComparison.Ordinal);

        row.Render(parameters => parameters.Add(p => p.Now, Now.AddHours(3)));
        Assert.Contains("overdue by 55 m 00 s", row.Find("[data-testid=deadline]").TextContent, StringComparison.Ordinal);
    }

    private IRenderedComponent<ApprovalRow> RenderRow(bool canDecide, string? reviewer, Action<PauseDecision> onDecide) =>
        Render<ApprovalRow>(parameters => parameters
            .Add(p => p.Approval, Pause)
            .Add(p => p.CanDecide, canDecide)
            .Add(p => p.ReviewerId, reviewer)
            .Add(p => p.Now, Now)
            .Add(p => p.OnDecide, onDecide));
}
