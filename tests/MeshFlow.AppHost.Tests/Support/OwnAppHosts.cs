namespace MeshFlow.AppHost.Tests.Support;

/// <summary>
/// Test classes that boot AppHosts of their own. They run alone, after the shared AppHost's tests, so two topologies
/// never compete for the machine.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class OwnAppHosts
{
    public const string Name = "Own AppHosts";
}
