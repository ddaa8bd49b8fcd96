using Bunit;
using MeshFlow.Dashboard.ApiClient;
using MeshFlow.Dashboard.Components.Layout;
using MeshFlow.Dashboard.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.FluentUI.AspNetCore.Components;

namespace MeshFlow.Dashboard.Tests.Components;

public sealed class ApiUnreachableBannerTests : BunitContext
{
    private readonly ApiAvailability _availability = new();

    public ApiUnreachableBannerTests()
    {
        Services.AddFluentUIComponents();
        Services.AddSingleton<IApiAvailability>(_availability);
        JSInterop.Mode = JSRuntimeMode.Loose;
    }

    [Fact]
    public void Nothing_shows_while_the_API_answers()
    {
        var banner = Render<ApiUnreachableBanner>();

        Assert.Empty(banner.FindAll("[data-testid=api-unreachable]"));
    }

    [Fact]
    public void The_banner_appears_when_the_API_goes_away_and_disappears_by_itself_when_it_returns()
    {
        var banner = Render<ApiUnreachableBanner>();

        _availability.ReportUnreachable("The MeshFlow API cannot be reached.");
        banner.WaitForAssertion(() => Assert.Contains("cannot be reached", banner.Find("[data-testid=api-unreachable]").TextContent, StringComparison.Ordinal),
            TestTimeouts.Default);

        _availability.ReportReachable();
        banner.WaitForAssertion(() => Assert.Empty(banner.FindAll("[data-testid=api-unreachable]")), TestTimeouts.Default);
    }
}
