using BenchmarkDotNet.Attributes;
using MeshFlow.Events;
using MeshFlow.Execution;
using MeshFlow.Runs;
using MeshFlow.Workflows;

namespace MeshFlow.Benchmarks;

/// <summary>
/// The engine's per-step, fan-out, loop and streaming costs. Every run publishes its events and the benchmark
/// reads them all, as a real caller would: events are part of the work, not an optional extra.
/// </summary>
[MemoryDiagnoser]
public class EngineBenchmarks
{
    public const int ChainLength = 100;
    public const int FanOutWidth = 64;
    public const int LoopIterations = 100;
    public const int StreamTokens = 100_000;

    private readonly MeshFlowEngine _engine = new();
    private Workflow _chain = null!;
    private Workflow _fanOut = null!;
    private Workflow _loop = null!;
    private Workflow _stream = null!;
    private Workflow _single = null!;

    [GlobalSetup]
    public void Setup()
    {
        _chain = Workflows.Chain(ChainLength);
        _fanOut = Workflows.FanOut(FanOutWidth);
        _loop = Workflows.Loop(LoopIterations);
        _stream = Workflows.Stream(StreamTokens);
        _single = Workflows.Stream(1);
    }

    /// <summary>A 100-node chain; divide by 100 for the cost of one step.</summary>
    [Benchmark(OperationsPerInvoke = ChainLength)]
    public Task<int> ChainStep() => RunAndDrainAsync(_chain);

    /// <summary>One run of a 64-way fan-out into a fan-in.</summary>
    [Benchmark]
    public Task<int> FanOut64() => RunAndDrainAsync(_fanOut);

    /// <summary>A generate-critique loop of 100 iterations (two steps each); divide by 100 for one iteration.</summary>
    [Benchmark(OperationsPerInvoke = LoopIterations)]
    public Task<int> LoopIteration() => RunAndDrainAsync(_loop);

    /// <summary>One step streaming 100,000 tokens; divide by 100,000 for the cost of one token.</summary>
    [Benchmark(OperationsPerInvoke = StreamTokens)]
    public Task<int> StreamToken() => RunAndDrainAsync(_stream);

    /// <summary>From Start to the first token_delta in the caller's hands.</summary>
    [Benchmark]
    public async Task<long> FirstToken()
    {
        var run = _engine.Start(_single, "go");
        long seq = 0;
        await foreach (var evt in run.Events)
        {
            if (seq == 0 && evt is TokenDeltaEvent delta)
            {
                seq = delta.Seq;
                break;
            }
        }

        return seq;
    }

    private async Task<int> RunAndDrainAsync(Workflow workflow)
    {
        var run = _engine.Start(workflow, "go");
        var count = 0;
        await foreach (var _ in run.Events)
        {
            count++;
        }

        var result = await run.Completion;
        return result.Status == RunStatus.Completed ? count : throw new InvalidOperationException(result.Error?.Message);
    }
}
