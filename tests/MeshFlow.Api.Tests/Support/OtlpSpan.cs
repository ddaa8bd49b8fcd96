namespace MeshFlow.Api.Tests.Support;

/// <summary>A span as an OTLP receiver got it: its name, trace id (hex) and string and integer attributes.</summary>
internal sealed record OtlpSpan(string Name, string TraceId, IReadOnlyDictionary<string, string> Attributes);
