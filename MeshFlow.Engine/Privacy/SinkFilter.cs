using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MeshFlow.Events;
using MeshFlow.Governance;
using MeshFlow.Runs;

namespace MeshFlow.Privacy;

/// <summary>
/// What leaves a run's steps for a sink (its ledger records and checkpoints, its events, its pauses and their
/// webhooks): with the guardian on, secrets and exfiltration links stripped; with <c>scrub_phi</c>, protected health
/// information replaced by <c>[PHI-REDACTED:TYPE]</c>. The run itself keeps the originals: its agents and later nodes
/// see what they were given.
/// </summary>
/// <remarks>
/// An agent's streamed output is cleaned as it streams (<c>StepOutputFilter</c>), so its deltas and its recorded
/// output are the same text; everything else is cleaned here, whole, on its way out.
/// </remarks>
internal sealed class SinkFilter
{
    private readonly RunAudit? _audit;
    private readonly bool _scrub;

    public SinkFilter(Policy policy, RunAudit audit)
    {
        _audit = policy.Guardian.Enabled ? audit : null;
        _scrub = policy.ScrubPhi;
    }

    private SinkFilter(bool scrub = false) => _scrub = scrub;

    /// <summary>Nothing is cleaned: no guardian, no scrubbing.</summary>
    public static SinkFilter None { get; } = new();

    /// <summary>Protected health information scrubbed, and nothing else: what a policy's <c>scrub_phi</c> asks of a run's recorded request.</summary>
    public static SinkFilter Phi { get; } = new(scrub: true);

    /// <summary>Whether anything is cleaned at all.</summary>
    public bool Active => _audit is not null || _scrub;

    /// <summary>Whether protected health information is scrubbed.</summary>
    public bool ScrubsPhi => _scrub;

    /// <summary>The text as it may leave the run.</summary>
    public string Clean(string text)
    {
        if (!Active || text.Length == 0)
        {
            return text;
        }

        if (_audit is not null)
        {
            text = _audit.Leaks.Strip(text, out _);
        }

        return _scrub ? PhiScrubber.Scrub(text) : text;
    }

    public string? CleanOrNull(string? text) => text is null ? null : Clean(text);

    /// <summary>A JSON document with every key and string value cleaned; text that is not JSON is cleaned as text.</summary>
    public string CleanJson(string json)
    {
        if (!Active || json.Length == 0)
        {
            return json;
        }

        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return Clean(json);
        }

        return node is null ? json : CleanNode(node)!.ToJsonString();
    }

    public JsonElement CleanJson(JsonElement element) =>
        Active ? JsonSerializer.SerializeToElement(CleanNode(JsonNode.Parse(element.GetRawText()))) : element;

    public ToolCallRecord Clean(ToolCallRecord call) =>
        Active ? call with { Arguments = CleanJson(call.Arguments), Result = CleanOrNull(call.Result) } : call;

    public IReadOnlyList<ToolCallRecord> Clean(IReadOnlyList<ToolCallRecord> calls) =>
        Active && calls.Count > 0 ? [.. calls.Select(Clean)] : calls;

    public RunError? Clean(RunError? error) => Active && error is not null ? error with { Message = Clean(error.Message) } : error;

    /// <summary>
    /// An event as readers may see it. Token deltas and a step's output arrive cleaned already (they are cleaned as the
    /// step streams, so that the deltas add up to the recorded output) and pass as they are.
    /// </summary>
    public MeshEvent Clean(MeshEvent evt) => !Active ? evt : evt switch
    {
        RunStartEvent start => start with { Input = Clean(start.Input) },
        RunEndEvent end => end with { Output = Clean(end.Output), Error = Clean(end.Error) },
        StepEndEvent step when step.BlockDetail is not null => step with { BlockDetail = Clean(step.BlockDetail) },
        ToolCallEvent call => call with { Arguments = CleanJson(call.Arguments) },
        ToolResultEvent result => result with { Result = Clean(result.Result) },
        ErrorEvent error => error with { Message = Clean(error.Message) },
        HitlPauseEvent pause => pause with { Reason = Clean(pause.Reason), Context = pause.Context is null ? null : CleanJson(pause.Context) },
        _ => evt,
    };

    // Objects and arrays are cleaned in place; a string value is replaced only when cleaning changed it.
    private JsonNode? CleanNode(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj.ToList())
                {
                    var cleaned = CleanNode(value);
                    var cleanKey = Clean(key);
                    if (!ReferenceEquals(cleanKey, key))
                    {
                        // A key can carry an identifier too (a patient's name as a map key): it is renamed, and two keys
                        // that clean to the same name are told apart.
                        obj.Remove(key);
                        var renamed = cleanKey;
                        for (var n = 2; obj.ContainsKey(renamed); n++)
                        {
                            renamed = string.Concat(cleanKey, " (", n.ToString(CultureInfo.InvariantCulture), ")");
                        }

                        obj[renamed] = cleaned;
                    }
                    else if (!ReferenceEquals(cleaned, value))
                    {
                        obj[key] = cleaned;
                    }
                }

                return obj;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    var cleaned = CleanNode(array[i]);
                    if (!ReferenceEquals(cleaned, array[i]))
                    {
                        array[i] = cleaned;
                    }
                }

                return array;
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                var text = value.GetValue<string>();
                var clean = Clean(text);
                return ReferenceEquals(clean, text) ? value : JsonValue.Create(clean);
            default:
                return node;
        }
    }
}
