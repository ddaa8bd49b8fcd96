using MeshFlow.Runtime;
using MeshFlow.Runtime.InProcess;
using MeshFlow.Tests.Runtime.Contract;

namespace MeshFlow.Tests.Runtime;

/// <summary>
/// The run queue contract, in process: one queue per test, which every "process" shares. Nothing is redelivered
/// and no lease lapses inside a process (a stopped consumer here is a live process); the tests assert that instead.
/// </summary>
public sealed class InProcessRunQueueContractTests : RunQueueContractTests
{
    private readonly InProcessRunQueue _queue = new();

    protected override bool RedeliversAbandonedEntries => false;

    protected override bool LeasesLapse => false;

    protected override Task<IRunQueue> CreateQueueAsync() => Task.FromResult<IRunQueue>(_queue);

    protected override Task<IRunQueue> ConnectAnotherAsync() => Task.FromResult<IRunQueue>(_queue);

    protected override ValueTask StopAsync(IRunQueue handle) => ValueTask.CompletedTask;

    protected override Task<IReadOnlyList<(RunRequest Request, string Reason)>> DeadLettersAsync() =>
        Task.FromResult<IReadOnlyList<(RunRequest, string)>>([.. _queue.DeadLetters.Select(dead => (dead.Run.Request, dead.Reason))]);
}
