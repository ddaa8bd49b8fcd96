namespace MeshFlow.AppHost.Tests.Support;

/// <summary>Test classes in this collection share one booted AppHost.</summary>
[CollectionDefinition(Name)]
public sealed class SharedAppHost : ICollectionFixture<AppHostFixture>
{
    public const string Name = "AppHost";
}
