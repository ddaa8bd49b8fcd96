namespace MeshFlow.Cli.Dev;

/// <summary>A process by its pid and its start time (in clock ticks since boot), which together name it uniquely.</summary>
internal readonly record struct RunningProcess(int Pid, long Started);
