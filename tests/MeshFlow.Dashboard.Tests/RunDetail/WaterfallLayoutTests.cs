using MeshFlow.Dashboard.Components.RunDetail;
using static MeshFlow.Dashboard.Tests.RunDetail.Steps;

namespace MeshFlow.Dashboard.Tests.RunDetail;

public sealed class WaterfallLayoutTests
{
    [Fact]
    public void Overlapping_steps_take_separate_lanes_and_sequential_steps_share_one()
    {
        var plan = WaterfallLayout.Plan(
        [
            Step("left:1", 0, 1000, seq: 2),
            Step("right:1", 200, 800, seq: 1),
            Step("join:1", 1000, 1500, seq: 3),
            Step("after:1", 1600, 2000, seq: 4),
        ]);

        Assert.Equal(2, plan.Lanes);
        Assert.Equal(0, LaneOf(plan, "left:1"));
        Assert.Equal(1, LaneOf(plan, "right:1"));
        // Starting exactly when the first lane's step ended is following it, not overlapping it.
        Assert.Equal(0, LaneOf(plan, "join:1"));
        Assert.Equal(0, LaneOf(plan, "after:1"));
    }

    [Fact]
    public void Three_parallel_branches_need_three_lanes_and_the_lanes_are_reused_after()
    {
        var plan = WaterfallLayout.Plan([Step("a:1", 0, 900), Step("b:1", 100, 600), Step("c:1", 300, 700), Step("d:1", 650, 800)]);

        Assert.Equal(3, plan.Lanes);
        Assert.Equal([0, 1, 2, 1], plan.Bars.Select(b => b.Lane));
    }

    [Fact]
    public void The_time_axis_runs_from_the_first_start_to_the_last_end_and_bars_scale_to_it()
    {
        var plan = WaterfallLayout.Plan([Step("writer:1", 0, 1000), Step("critic:1", 1000, 4000)]);

        Assert.Equal(TimeSpan.FromSeconds(4), plan.Span);
        var writer = plan.Bars.Single(b => b.Step.StepId == "writer:1");
        var critic = plan.Bars.Single(b => b.Step.StepId == "critic:1");
        Assert.Equal((0, 25), (writer.LeftPercent, writer.WidthPercent));
        Assert.Equal((25, 75), (critic.LeftPercent, critic.WidthPercent));
    }

    [Fact]
    public void Loop_passes_are_placed_in_the_order_they_ran_on_one_lane()
    {
        var plan = WaterfallLayout.Plan([Step("writer:2", 200, 300, seq: 3), Step("critic:1", 100, 200, seq: 2), Step("writer:1", 0, 100, seq: 1)]);

        Assert.Equal(["writer:1", "critic:1", "writer:2"], plan.Bars.Select(b => b.Step.StepId));
        Assert.Equal(1, plan.Lanes);
        Assert.True(plan.Bars[0].LeftPercent < plan.Bars[1].LeftPercent && plan.Bars[1].LeftPercent < plan.Bars[2].LeftPercent);
    }

    [Fact]
    public void An_instant_step_keeps_a_visible_width_and_stays_inside_the_axis()
    {
        var plan = WaterfallLayout.Plan([Step("slow:1", 0, 10_000), Step("instant:1", 10_000, 10_000)]);

        var instant = plan.Bars.Single(b => b.Step.StepId == "instant:1");
        Assert.Equal(WaterfallLayout.MinimumWidthPercent, instant.WidthPercent);
        Assert.True(instant.LeftPercent + instant.WidthPercent <= 100);
    }

    [Fact]
    public void Records_that_are_not_steps_are_not_drawn_and_no_steps_is_an_empty_plan()
    {
        var runStart = Step("x:1", 0, 0) with { Kind = "run_start", StepId = null };

        var plan = WaterfallLayout.Plan([runStart]);

        Assert.Empty(plan.Bars);
        Assert.Equal(0, plan.Lanes);
    }

    private static int LaneOf(WaterfallPlan plan, string stepId) => plan.Bars.Single(b => b.Step.StepId == stepId).Lane;
}
