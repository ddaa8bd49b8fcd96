using Bunit;
using MeshFlow.Dashboard.Components.RunDetail;
using static MeshFlow.Dashboard.Tests.RunDetail.Steps;

namespace MeshFlow.Dashboard.Tests.RunDetail;

public sealed class StepWaterfallTests : IDisposable
{
    private readonly BunitContext _context = new();

    [Fact]
    public void Parallel_steps_render_on_their_own_lanes_at_their_place_on_the_axis_with_the_verdict_in_text()
    {
        var cut = _context.Render<StepWaterfall>(parameters => parameters.Add(
            w => w.Steps, [Step("a:1", 0, 2000), Step("b:1", 500, 1000, verdict: "blocked"), Step("c:1", 2000, 4000, verdict: "escalate")]));

        var lanes = cut.FindAll(".waterfall-lane");
        Assert.Equal(2, lanes.Count);
        Assert.Equal(["a:1", "c:1"], lanes[0].QuerySelectorAll("[data-testid=step-bar]").Select(b => b.GetAttribute("data-step-id")));
        Assert.Equal(["b:1"], lanes[1].QuerySelectorAll("[data-testid=step-bar]").Select(b => b.GetAttribute("data-step-id")));

        var blocked = cut.Find("[data-step-id='b:1']");
        Assert.Equal("left:12.5%;width:12.5%", blocked.GetAttribute("style"));
        Assert.Contains("verdict-blocked", blocked.ClassList);
        Assert.Contains("blocked", blocked.TextContent, StringComparison.Ordinal);
        Assert.Contains("verdict-escalate", cut.Find("[data-step-id='c:1']").ClassList);
        Assert.Contains("verdict-commit", cut.Find("[data-step-id='a:1']").ClassList);
    }

    [Fact]
    public void Clicking_a_bar_opens_its_step()
    {
        string? opened = null;
        var cut = _context.Render<StepWaterfall>(parameters => parameters
            .Add(w => w.Steps, [Step("writer:1", 0, 100), Step("critic:1", 100, 200)])
            .Add(w => w.OnOpen, (string? id) => opened = id));

        cut.Find("[data-step-id='critic:1']").Click();

        Assert.Equal("critic:1", opened);
    }

    public void Dispose() => _context.Dispose();
}
