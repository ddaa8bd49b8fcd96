using System.Text.Json.Serialization;

namespace MeshFlow.Runs;

/// <summary>Where a run is in its life.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RunStatus>))]
public enum RunStatus
{
    /// <summary>Accepted, not yet picked up.</summary>
    [JsonStringEnumMemberName("queued")] Queued,

    /// <summary>Executing steps.</summary>
    [JsonStringEnumMemberName("running")] Running,

    /// <summary>Every reachable node ran.</summary>
    [JsonStringEnumMemberName("completed")] Completed,

    /// <summary>A node failed, a loop exceeded its bound, or a step timed out.</summary>
    [JsonStringEnumMemberName("failed")] Failed,

    /// <summary>A check blocked a step (budget, guardian, ...).</summary>
    [JsonStringEnumMemberName("blocked")] Blocked,

    /// <summary>The caller cancelled the run.</summary>
    [JsonStringEnumMemberName("cancelled")] Cancelled,

    /// <summary>A check escalated a step to a human; the run waits.</summary>
    [JsonStringEnumMemberName("paused")] Paused,
}
