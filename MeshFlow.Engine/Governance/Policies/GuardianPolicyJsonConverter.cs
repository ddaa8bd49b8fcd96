using System.Text.Json;
using System.Text.Json.Serialization;
using MeshFlow.Governance.Guardian;
using MeshFlow.Runs;
using static MeshFlow.Governance.PolicyGuardianField;

namespace MeshFlow.Governance;

/// <summary>
/// Writes a <see cref="GuardianPolicy"/> as an object of every part, and reads one from an object or from the
/// <c>true</c> or <c>false</c> that policies stored before the guardian had parts wrote (ledgers' run_start records,
/// tenants' policies).
/// </summary>
internal sealed class GuardianPolicyJsonConverter : JsonConverter<GuardianPolicy>
{
    public override GuardianPolicy Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (PolicyPartsJson.ReadSwitch(ref reader, Name) is { } on)
        {
            return on ? GuardianPolicy.On : GuardianPolicy.Off;
        }

        // An object without "enabled" asks for the guardian with settings, as a policy's mapping does.
        var guardian = GuardianPolicy.On;
        while (PolicyPartsJson.NextPart(ref reader, out var part))
        {
            switch (part)
            {
                case Enabled:
                    guardian = guardian with { Enabled = PolicyPartsJson.Bool(ref reader, part, guardian.Enabled) };
                    break;
                case OnInjection:
                    guardian = guardian with { OnInjection = PolicyPartsJson.Value(ref reader, guardian.OnInjection, options) };
                    break;
                case OnLeak:
                    guardian = guardian with { OnLeak = PolicyPartsJson.Value(ref reader, guardian.OnLeak, options) };
                    break;
                case AllowedHosts:
                    guardian = guardian with { AllowedHosts = PolicyPartsJson.Value<string[]>(ref reader, [], options) };
                    break;
                case UntrustedInput:
                    guardian = guardian with { UntrustedInput = PolicyPartsJson.Bool(ref reader, part, guardian.UntrustedInput) };
                    break;
                case Behaviour:
                    guardian = guardian with { Behaviour = PolicyPartsJson.Bool(ref reader, part, guardian.Behaviour) };
                    break;
                default:
                    // A part a later version added: skipped, as an unknown member of any stored record is.
                    reader.Skip();
                    break;
            }
        }

        return guardian;
    }

    public override void Write(Utf8JsonWriter writer, GuardianPolicy value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        writer.WriteBoolean(Enabled, value.Enabled);
        writer.WriteString(OnInjection, WireNames.Of(value.OnInjection));
        writer.WriteString(OnLeak, WireNames.Of(value.OnLeak));
        writer.WriteStartArray(AllowedHosts);
        foreach (var host in value.AllowedHosts)
        {
            writer.WriteStringValue(host);
        }

        writer.WriteEndArray();
        writer.WriteBoolean(UntrustedInput, value.UntrustedInput);
        writer.WriteBoolean(Behaviour, value.Behaviour);
        writer.WriteEndObject();
    }
}
