using System.Text.Json;
using System.Text.Json.Serialization;

namespace MeshFlow.Workflows;

/// <summary>Writes <see cref="WorkflowState"/> as a JSON object of its values, keys in ordinal order.</summary>
internal sealed class WorkflowStateJsonConverter : JsonConverter<WorkflowState>
{
    public override WorkflowState Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("workflow state must be a JSON object");
        }

        var state = new WorkflowState();
        foreach (var property in document.RootElement.EnumerateObject())
        {
            state.SetElement(property.Name, property.Value.Clone());
        }

        return state;
    }

    public override void Write(Utf8JsonWriter writer, WorkflowState value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var (key, element) in value.Values.OrderBy(pair => pair.Key, StringComparer.Ordinal))
        {
            writer.WritePropertyName(key);
            element.WriteTo(writer);
        }

        writer.WriteEndObject();
    }
}
