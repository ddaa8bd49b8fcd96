namespace MeshFlow.LoadTest.Topology;

/// <summary>One process of the topology as <c>/proc</c> shows it.</summary>
/// <param name="Pid">Its process id.</param>
/// <param name="ParentPid">Its parent's.</param>
/// <param name="SessionId">Its session: DCP starts the services in a session of its own and leaves them to init.</param>
/// <param name="Name">Its <c>comm</c> (the executable's name, cut at 15 characters).</param>
/// <param name="CommandLine">Its arguments, joined by spaces.</param>
/// <param name="CpuTicks">User plus system time, in clock ticks (<see cref="ProcessTree.TicksPerSecond"/>).</param>
internal sealed record ProcessInfo(int Pid, int ParentPid, int SessionId, string Name, string CommandLine, long CpuTicks)
{
    /// <summary>What the process is, for the CPU table: api, worker, redis, postgres, dcp, ...</summary>
    public string Role => Name == "dotnet" && CommandLine.Contains(" run ", StringComparison.Ordinal) ? "dotnet-run"
        : CommandLine.Contains("MeshFlow.Api", StringComparison.Ordinal) ? "api"
        : CommandLine.Contains("MeshFlow.Worker", StringComparison.Ordinal) ? "worker"
        : CommandLine.Contains("MeshFlow.Dashboard", StringComparison.Ordinal) ? "dashboard"
        : Name is "postgres" ? "postgres"
        : Name.StartsWith("redis-server", StringComparison.Ordinal) ? "redis"
        : Name.StartsWith("dcp", StringComparison.Ordinal) ? "dcp"
        : Pid == Environment.ProcessId ? "loadtest"
        : "other";
}
