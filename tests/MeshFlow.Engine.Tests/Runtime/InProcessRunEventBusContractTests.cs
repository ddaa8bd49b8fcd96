using MeshFlow.Runtime;
using MeshFlow.Runtime.InProcess;
using MeshFlow.Tests.Runtime.Contract;

namespace MeshFlow.Tests.Runtime;

/// <summary>The run event bus contract, in process: one bus per test, shared by publisher and readers.</summary>
public sealed class InProcessRunEventBusContractTests : RunEventBusContractTests
{
    private readonly InProcessRunEventBus _bus = new();

    protected override Task<IRunEventBus> CreateBusAsync() => Task.FromResult<IRunEventBus>(_bus);

    protected override Task<IRunEventBus> ConnectAnotherAsync() => Task.FromResult<IRunEventBus>(_bus);
}
