namespace MeshFlow.Dashboard.BrowserTests.Support;

/// <summary>One API, one dashboard and one browser for every browser test; each test has its own browser context.</summary>
[CollectionDefinition(Name)]
public sealed class DashboardTests : ICollectionFixture<DashboardFixture>
{
    public const string Name = "Dashboard";
}
