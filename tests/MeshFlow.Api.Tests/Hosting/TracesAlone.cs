namespace MeshFlow.Api.Tests.Hosting;

/// <summary>
/// Tests that export a host's spans run alone: every host in the test process starts activities on the sources named
/// "MeshFlow" and ASP.NET Core's, so a tracer provider listening in one test also records another test's requests.
/// </summary>
[CollectionDefinition(nameof(TracesAlone), DisableParallelization = true)]
public sealed class TracesAlone;
