using System.Text.Json.Serialization;

namespace MeshFlow.Distributed.Metrics;

/// <summary>Source-generated serialization of sample batches: a relay message is a JSON array of samples.</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(MetricSample[]))]
internal sealed partial class MetricSampleJsonContext : JsonSerializerContext;
