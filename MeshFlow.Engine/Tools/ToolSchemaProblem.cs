namespace MeshFlow.Tools;

/// <summary>Why a tool's input schema is not a JSON Schema a call can be checked against, and where in it.</summary>
/// <param name="Message">The problem, for people.</param>
/// <param name="Pointer">The JSON Pointer of the offending value inside the schema (<c>/properties/limit/type</c>); empty for the schema itself.</param>
internal sealed record ToolSchemaProblem(string Message, string Pointer)
{
    /// <summary>The problem with where it is, as one phrase: <c>'intger' is not a valid JSON Schema value type (at /properties/limit/type)</c>.</summary>
    public override string ToString() => Pointer.Length == 0 ? Message : $"{Message} (at {Pointer})";
}
