using MeshFlow.Events;
using MeshFlow.Runs;

namespace MeshFlow.Cli.Runs;

/// <summary>How a run ended, as its events told it: the <c>run_end</c>, and the pause it waits on when it paused.</summary>
internal sealed record RunOutcome(string RunId, RunEndEvent End, HitlPauseEvent? Pause, StepEndEvent? Stopper)
{
    public RunStatus Status => End.Status;
}
