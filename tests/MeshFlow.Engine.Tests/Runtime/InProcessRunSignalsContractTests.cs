using MeshFlow.Runtime;
using MeshFlow.Runtime.InProcess;
using MeshFlow.Tests.Runtime.Contract;

namespace MeshFlow.Tests.Runtime;

/// <summary>The run signals contract, in process: one instance per test, shared by the API and the worker.</summary>
public sealed class InProcessRunSignalsContractTests : RunSignalsContractTests
{
    private readonly InProcessRunSignals _signals = new();

    protected override Task<IRunSignals> CreateSignalsAsync() => Task.FromResult<IRunSignals>(_signals);

    protected override Task<IRunSignals> ConnectAnotherAsync() => Task.FromResult<IRunSignals>(_signals);
}
