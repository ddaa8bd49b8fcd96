namespace MeshFlow.Tools.Utility;

/// <summary>An expression the calculator does not evaluate, and why (turned into the tool's error).</summary>
internal sealed class CalculatorRefusal(string reason) : Exception(reason);
