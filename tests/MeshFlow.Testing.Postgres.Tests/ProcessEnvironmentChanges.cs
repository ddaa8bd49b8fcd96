namespace MeshFlow.Testing.Postgres.Tests;

/// <summary>Tests that change process-wide environment variables (MESHFLOW_POSTGRES_BIN) run alone, after the parallel ones.</summary>
[CollectionDefinition(DisableParallelization = true)]
public sealed class ProcessEnvironmentChanges;
