using Bunit;
using MeshFlow.Dashboard.Components.Runs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.FluentUI.AspNetCore.Components;

namespace MeshFlow.Dashboard.Tests.Components;

public sealed class RunStatusBadgeTests : BunitContext
{
    public RunStatusBadgeTests()
    {
        Services.AddFluentUIComponents();
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    [Theory]
    [InlineData("completed", BadgeColor.Success)]
    [InlineData("failed", BadgeColor.Danger)]
    [InlineData("blocked", BadgeColor.Danger)]
    [InlineData("paused", BadgeColor.Warning)]
    [InlineData("running", BadgeColor.Brand)]
    [InlineData("queued", BadgeColor.Informative)]
    [InlineData("cancelled", BadgeColor.Subtle)]
    [InlineData("a-status-added-later", BadgeColor.Subtle)]
    public void Each_status_has_its_colour(string status, BadgeColor expected) =>
        Assert.Equal(expected, RunStatusBadge.ColorOf(status));

    [Fact]
    public void The_badge_shows_the_status_and_names_it_for_tests_and_styles()
    {
        var badge = Render<RunStatusBadge>(parameters => parameters.Add(b => b.Status, "failed"));

        var element = badge.Find("[data-status]");
        Assert.Equal("failed", element.GetAttribute("data-status"));
        Assert.Equal("failed", element.TextContent.Trim());
    }
}
