using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using MeshFlow.Governance;
using MeshFlow.Governance.Risk;
using MeshFlow.Runs;

namespace MeshFlow.Events;

/// <summary>
/// Reads and writes <see cref="MeshEvent"/> in its one wire shape: the envelope fields, then the kind's fields
/// under <c>data</c>.
/// </summary>
public sealed class MeshEventJsonConverter : JsonConverter<MeshEvent>
{
    /// <inheritdoc />
    public override bool CanConvert(Type typeToConvert) => typeof(MeshEvent).IsAssignableFrom(typeToConvert);

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, MeshEvent value, JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(value);
        writer.WriteStartObject();
        writer.WriteNumber("seq", value.Seq);
        writer.WriteString("run_id", value.RunId);
        writer.WriteString("kind", value.Kind);
        writer.WriteString("ts", value.Timestamp);
        WriteOptional(writer, "node_id", value.NodeId);
        WriteOptional(writer, "step_id", value.StepId);
        WriteOptional(writer, "agent_id", value.AgentId);
        writer.WriteStartObject("data");
        switch (value)
        {
            case TokenDeltaEvent delta:
                writer.WriteString("text", delta.Text);
                break;
            case RunStartEvent start:
                writer.WriteString("workflow", start.Workflow);
                writer.WriteString("input", start.Input);
                writer.WriteString("policy", start.Policy);
                break;
            case StepStartEvent step:
                writer.WriteNumber("iteration", step.Iteration);
                WriteOptional(writer, "model", step.Model);
                writer.WriteBoolean("offline", step.Offline);
                WriteOptional(writer, "agent_did", step.AgentDid);
                break;
            case ToolCallEvent call:
                writer.WriteString("call_id", call.CallId);
                writer.WriteString("name", call.Name);
                writer.WriteString("arguments", call.Arguments);
                break;
            case ToolResultEvent result:
                writer.WriteString("call_id", result.CallId);
                writer.WriteString("result", result.Result);
                if (result.DurationMs is { } toolDuration)
                {
                    writer.WriteNumber("duration_ms", toolDuration);
                }
                else
                {
                    writer.WriteNull("duration_ms");
                }

                WriteOptional(writer, "risk_tier", result.RiskTier is { } toolTier ? WireNames.Of(toolTier) : null);
                break;
            case StepEndEvent end:
                writer.WriteString("output", end.Output);
                writer.WriteString("verdict", WireNames.Of(end.Verdict));
                WriteOptional(writer, "block_reason", end.BlockReason is { } reason ? WireNames.Of(reason) : null);
                WriteOptional(writer, "block_detail", end.BlockDetail);
                WriteTokens(writer, end.Tokens);
                writer.WriteNumber("cost_usd", end.CostUsd);
                writer.WriteNumber("duration_ms", end.DurationMs);
                WriteOptional(writer, "model", end.Model);
                writer.WriteBoolean("offline", end.Offline);
                WriteOptional(writer, "agent_did", end.AgentDid);
                WriteOptional(writer, "risk_tier", end.RiskTier is { } tier ? WireNames.Of(tier) : null);
                WriteOptional(writer, "risk_rule", end.RiskRule);
                if (end.Uncertainty is { } uncertainty)
                {
                    writer.WriteNumber("uncertainty", uncertainty);
                }

                break;
            case HitlPauseEvent pause:
                writer.WriteString("reason", pause.Reason);
                WriteOptional(writer, "block_reason", pause.BlockReason is { } pauseReason ? WireNames.Of(pauseReason) : null);
                WriteOptional(writer, "tier", pause.Tier is { } pauseTier ? WireNames.Of(pauseTier) : null);
                if (pause.Context is { } context)
                {
                    writer.WritePropertyName("context");
                    writer.WriteRawValue(context, skipInputValidation: false);
                }
                else
                {
                    writer.WriteNull("context");
                }

                if (pause.ExpiresAt is { } expiresAt)
                {
                    writer.WriteString("expires_at", expiresAt);
                }
                else
                {
                    writer.WriteNull("expires_at");
                }

                WriteOptional(writer, "approve_url", pause.ApproveUrl);
                WriteOptional(writer, "reject_url", pause.RejectUrl);
                break;
            case HitlResolvedEvent resolved:
                writer.WriteString("decision", resolved.Decision);
                writer.WriteString("reviewer_id", resolved.ReviewerId);
                writer.WriteString("decided_at", resolved.DecidedAt);
                break;
            case RunEndEvent runEnd:
                writer.WriteString("status", WireNames.Of(runEnd.Status));
                writer.WriteString("output", runEnd.Output);
                WriteTokens(writer, runEnd.Tokens);
                writer.WriteNumber("cost_usd", runEnd.CostUsd);
                if (runEnd.Error is { } error)
                {
                    writer.WritePropertyName("error");
                    JsonSerializer.Serialize(writer, error, options);
                }

                break;
            case ErrorEvent failure:
                writer.WriteString("code", failure.Code);
                writer.WriteString("message", failure.Message);
                break;
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <inheritdoc />
    public override MeshEvent Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        var kind = Required(root, "kind");
        var runId = Required(root, "run_id");
        var data = root.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object ? d : default;
        MeshEvent evt = kind switch
        {
            MeshEventKinds.TokenDelta => new TokenDeltaEvent { RunId = runId, Text = Text(data, "text") },
            MeshEventKinds.RunStart => new RunStartEvent
            {
                RunId = runId, Workflow = Text(data, "workflow"), Input = Text(data, "input"), Policy = Text(data, "policy"),
            },
            MeshEventKinds.StepStart => new StepStartEvent
            {
                RunId = runId, Iteration = Int(data, "iteration"), Model = Optional(data, "model"), Offline = Bool(data, "offline"),
                AgentDid = Optional(data, "agent_did"),
            },
            MeshEventKinds.ToolCall => new ToolCallEvent
            {
                RunId = runId, CallId = Text(data, "call_id"), Name = Text(data, "name"), Arguments = Text(data, "arguments"),
            },
            MeshEventKinds.ToolResult => new ToolResultEvent
            {
                RunId = runId, CallId = Text(data, "call_id"), Result = Text(data, "result"),
                DurationMs = data.ValueKind == JsonValueKind.Object && data.TryGetProperty("duration_ms", out var toolDuration) && toolDuration.ValueKind == JsonValueKind.Number
                    ? toolDuration.GetDouble() : null,
                RiskTier = Optional(data, "risk_tier") is null ? null : Enum<RiskTier>(data, "risk_tier", options),
            },
            MeshEventKinds.StepEnd => new StepEndEvent
            {
                RunId = runId, Output = Text(data, "output"), Verdict = Enum<Verdict>(data, "verdict", options),
                BlockReason = Optional(data, "block_reason") is null ? null : Enum<BlockReason>(data, "block_reason", options),
                Tokens = Tokens(data, options), CostUsd = Decimal(data, "cost_usd"), DurationMs = Double(data, "duration_ms"),
                Model = Optional(data, "model"), Offline = Bool(data, "offline"), BlockDetail = Optional(data, "block_detail"),
                AgentDid = Optional(data, "agent_did"),
                RiskTier = Optional(data, "risk_tier") is null ? null : Enum<RiskTier>(data, "risk_tier", options),
                RiskRule = Optional(data, "risk_rule"),
                Uncertainty = data.ValueKind == JsonValueKind.Object && data.TryGetProperty("uncertainty", out var uncertainty) && uncertainty.ValueKind == JsonValueKind.Number
                    ? uncertainty.GetDouble() : null,
            },
            MeshEventKinds.HitlPause => new HitlPauseEvent
            {
                RunId = runId, Reason = Text(data, "reason"),
                BlockReason = Optional(data, "block_reason") is null ? null : Enum<BlockReason>(data, "block_reason", options),
                Tier = Optional(data, "tier") is null ? null : Enum<RiskTier>(data, "tier", options),
                Context = data.ValueKind == JsonValueKind.Object && data.TryGetProperty("context", out var context) && context.ValueKind == JsonValueKind.Object
                    ? context.GetRawText() : null,
                ExpiresAt = Optional(data, "expires_at") is { } expiresAt ? DateTimeOffset.Parse(expiresAt, CultureInfo.InvariantCulture) : null,
                ApproveUrl = Optional(data, "approve_url"), RejectUrl = Optional(data, "reject_url"),
            },
            MeshEventKinds.HitlResolved => new HitlResolvedEvent
            {
                RunId = runId, Decision = Text(data, "decision"), ReviewerId = Text(data, "reviewer_id"),
                DecidedAt = DateTimeOffset.Parse(Text(data, "decided_at"), CultureInfo.InvariantCulture),
            },
            MeshEventKinds.RunEnd => new RunEndEvent
            {
                RunId = runId, Status = Enum<RunStatus>(data, "status", options), Output = Text(data, "output"),
                Tokens = Tokens(data, options), CostUsd = Decimal(data, "cost_usd"),
                Error = data.ValueKind == JsonValueKind.Object && data.TryGetProperty("error", out var error)
                    ? error.Deserialize<RunError>(options) : null,
            },
            MeshEventKinds.Error => new ErrorEvent { RunId = runId, Code = Text(data, "code"), Message = Text(data, "message") },
            _ => throw new JsonException($"unknown event kind '{kind}'"),
        };

        return evt with
        {
            Seq = root.TryGetProperty("seq", out var seq) ? seq.GetInt64() : 0,
            Timestamp = root.TryGetProperty("ts", out var ts) ? ts.GetDateTimeOffset() : default,
            NodeId = Optional(root, "node_id"),
            StepId = Optional(root, "step_id"),
            AgentId = Optional(root, "agent_id"),
        };
    }

    private static void WriteOptional(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is null)
        {
            writer.WriteNull(name);
        }
        else
        {
            writer.WriteString(name, value);
        }
    }

    private static void WriteTokens(Utf8JsonWriter writer, TokenUsage tokens)
    {
        writer.WriteStartObject("tokens");
        writer.WriteNumber("input", tokens.Input);
        writer.WriteNumber("output", tokens.Output);
        writer.WriteNumber("total", tokens.Total);
        writer.WriteBoolean("estimated", tokens.Estimated);
        if (tokens.CachedInput > 0)
        {
            writer.WriteNumber("cached_input", tokens.CachedInput);
        }

        writer.WriteEndObject();
    }

    private static string Required(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()!
            : throw new JsonException($"event has no '{name}'");

    private static string? Optional(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;

    private static string Text(JsonElement data, string name) => Optional(data, name) ?? string.Empty;

    private static bool Bool(JsonElement data, string name) =>
        data.ValueKind == JsonValueKind.Object && data.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    private static int Int(JsonElement data, string name) =>
        data.ValueKind == JsonValueKind.Object && data.TryGetProperty(name, out var value) ? value.GetInt32() : 0;

    private static double Double(JsonElement data, string name) =>
        data.ValueKind == JsonValueKind.Object && data.TryGetProperty(name, out var value) ? value.GetDouble() : 0;

    private static decimal Decimal(JsonElement data, string name) =>
        data.ValueKind == JsonValueKind.Object && data.TryGetProperty(name, out var value) ? value.GetDecimal() : 0m;

    private static T Enum<T>(JsonElement data, string name, JsonSerializerOptions options) where T : struct, Enum =>
        data.TryGetProperty(name, out var value) ? value.Deserialize<T>(options) : default;

    private static TokenUsage Tokens(JsonElement data, JsonSerializerOptions options) =>
        data.ValueKind == JsonValueKind.Object && data.TryGetProperty("tokens", out var tokens)
            ? tokens.Deserialize<TokenUsage>(options)
            : default;
}
