namespace MeshFlow.Cli.Tests.Support;

/// <summary>The test classes that share one <see cref="ServerFixture"/> (and so run one after another).</summary>
[CollectionDefinition(Name)]
public sealed class SharedServer : ICollectionFixture<ServerFixture>
{
    public const string Name = "meshflow serve";
}
