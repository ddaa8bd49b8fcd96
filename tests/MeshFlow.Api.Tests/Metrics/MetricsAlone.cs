namespace MeshFlow.Api.Tests.Metrics;

/// <summary>
/// Tests that compare counters before and after their own runs run alone: every host in the test process reports to
/// meters named "MeshFlow", so another test's runs would move the same counters.
/// </summary>
[CollectionDefinition(nameof(MetricsAlone), DisableParallelization = true)]
public sealed class MetricsAlone;
