using System.Text.Json;
using System.Text.Json.Serialization;
using MeshFlow.Governance.Collusion;
using MeshFlow.Runs;
using static MeshFlow.Governance.PolicyCollusionField;

namespace MeshFlow.Governance;

/// <summary>
/// Writes a <see cref="CollusionPolicy"/> as an object of every part, and reads one from an object or from the
/// <c>true</c> or <c>false</c> that policies stored before the audit had parts wrote.
/// </summary>
internal sealed class CollusionPolicyJsonConverter : JsonConverter<CollusionPolicy>
{
    public override CollusionPolicy Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (PolicyPartsJson.ReadSwitch(ref reader, Name) is { } on)
        {
            return on ? CollusionPolicy.On : CollusionPolicy.Off;
        }

        // An object without "enabled" asks for the audit with settings, as a policy's mapping does.
        var audit = CollusionPolicy.On;
        while (PolicyPartsJson.NextPart(ref reader, out var part))
        {
            switch (part)
            {
                case Enabled:
                    audit = audit with { Enabled = PolicyPartsJson.Bool(ref reader, part, audit.Enabled) };
                    break;
                case OnFinding:
                    audit = audit with { OnFinding = PolicyPartsJson.Value(ref reader, audit.OnFinding, options) };
                    break;
                default:
                    // A part a later version added: skipped, as an unknown member of any stored record is.
                    reader.Skip();
                    break;
            }
        }

        return audit;
    }

    public override void Write(Utf8JsonWriter writer, CollusionPolicy value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteBoolean(Enabled, value.Enabled);
        writer.WriteString(OnFinding, WireNames.Of(value.OnFinding));
        writer.WriteEndObject();
    }
}
