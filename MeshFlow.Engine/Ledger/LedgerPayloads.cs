using System.Text;
using System.Text.Json;
using MeshFlow.Ledger.Canonical;

namespace MeshFlow.Ledger;

/// <summary>Writes record payloads as canonical JSON (RFC 8785) and reads them back.</summary>
public static class LedgerPayloads
{
    /// <summary>A run_start payload.</summary>
    public static string RunStart(RunStartPayload payload) => Canonical(payload);

    /// <summary>A step payload.</summary>
    public static string Step(StepPayload payload) => Canonical(payload);

    /// <summary>A run_end payload.</summary>
    public static string RunEnd(RunEndPayload payload) => Canonical(payload);

    /// <summary>A collusion payload.</summary>
    public static string Collusion(CollusionPayload payload) => Canonical(payload);

    /// <summary>What replaces an erased payload.</summary>
    public static string RedactionNotice(string reason, DateTimeOffset at) =>
        Canonical(new Dictionary<string, object?> { ["redacted"] = true, ["reason"] = reason, ["at"] = LedgerHashing.Truncate(at) });

    /// <summary>Reads a step payload.</summary>
    /// <exception cref="JsonException">The payload is not a step payload.</exception>
    public static StepPayload ReadStep(string payload) =>
        JsonSerializer.Deserialize<StepPayload>(payload) ?? throw new JsonException("the step payload is null");

    /// <summary>Reads a run_start payload.</summary>
    /// <exception cref="JsonException">The payload is not a run_start payload.</exception>
    public static RunStartPayload ReadRunStart(string payload) =>
        JsonSerializer.Deserialize<RunStartPayload>(payload) ?? throw new JsonException("the run_start payload is null");

    /// <summary>Reads a run_end payload.</summary>
    /// <exception cref="JsonException">The payload is not a run_end payload.</exception>
    public static RunEndPayload ReadRunEnd(string payload) =>
        JsonSerializer.Deserialize<RunEndPayload>(payload) ?? throw new JsonException("the run_end payload is null");

    /// <summary>Reads a collusion payload.</summary>
    /// <exception cref="JsonException">The payload is not a collusion payload.</exception>
    public static CollusionPayload ReadCollusion(string payload) =>
        JsonSerializer.Deserialize<CollusionPayload>(payload) ?? throw new JsonException("the collusion payload is null");

    private static string Canonical<T>(T value) => Encoding.UTF8.GetString(CanonicalJson.Serialize(value));
}
