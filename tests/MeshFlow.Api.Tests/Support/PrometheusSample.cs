namespace MeshFlow.Api.Tests.Support;

/// <summary>One sample as the Prometheus parser read it: its family's name and type, its own name, labels and value.</summary>
internal sealed record PrometheusSample(string Family, string Type, string Name, IReadOnlyDictionary<string, string> Labels, double Value);
