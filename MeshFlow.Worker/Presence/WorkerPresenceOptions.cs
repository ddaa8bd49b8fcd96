using System.ComponentModel.DataAnnotations;

namespace MeshFlow.Worker.Presence;

/// <summary>Bound from <c>MeshFlow:Worker</c>.</summary>
public sealed class WorkerPresenceOptions
{
    public const string SectionName = "MeshFlow:Worker";

    /// <summary>How often the worker records a heartbeat. Default 10 seconds.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "1.00:00:00")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(10);
}
