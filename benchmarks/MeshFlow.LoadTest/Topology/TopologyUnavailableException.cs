namespace MeshFlow.LoadTest.Topology;

/// <summary>The AppHost cannot give the load test the distributed topology it measures (a server binary is missing).</summary>
internal sealed class TopologyUnavailableException(string message) : Exception(message);
