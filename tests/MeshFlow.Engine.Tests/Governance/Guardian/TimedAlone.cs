namespace MeshFlow.Tests.Governance.Guardian;

/// <summary>The corpus report runs alone, after the parallel tests, so the scan times it writes are not a busy machine's.</summary>
[CollectionDefinition(DisableParallelization = true)]
public sealed class TimedAlone;
