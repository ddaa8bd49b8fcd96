using BenchmarkDotNet.Attributes;
using MeshFlow.Events;
using MeshFlow.Execution;
using MeshFlow.Governance;
using MeshFlow.Governance.Guardian;
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

    // Every governance check on (identity, budget, risk, uncertainty), as an engine has by default.
    private readonly MeshFlowEngine _engine = new();

    // The budget check alone, as the pipeline was before the identity, risk and uncertainty checks.
    private readonly MeshFlowEngine _budgetOnly = BudgetOnlyEngine();
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

    /// <summary>The same chain with only the budget check in the pipeline, to set the full pipeline's cost beside.</summary>
    [Benchmark(OperationsPerInvoke = ChainLength)]
    public Task<int> ChainStepBudgetOnly() => RunAndDrainAsync(_budgetOnly, _chain);

    /// <summary>
    /// The same chain with the guardian on and PHI scrubbed from what every step emits (its deltas held to a boundary
    /// and cleaned, its record and events scrubbed), to set the content checks' cost beside the default pipeline's.
    /// </summary>
    [Benchmark(OperationsPerInvoke = ChainLength)]
    public Task<int> ChainStepGuardedAndScrubbed() => RunAndDrainAsync(_engine, _chain, Guarded);

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

    private Task<int> RunAndDrainAsync(Workflow workflow) => RunAndDrainAsync(_engine, workflow);

    private static MeshFlowEngine BudgetOnlyEngine()
    {
        var options = new MeshFlowEngineOptions();
        options.Checks.Clear();
        options.Checks.Add(BudgetCheck.Instance);
        return new MeshFlowEngine(options);
    }

    private static RunOptions Guarded { get; } = new()
    {
        Policy = Workflows.Standard with { Guardian = GuardianPolicy.On, ScrubPhi = true },
    };

    private static async Task<int> RunAndDrainAsync(MeshFlowEngine engine, Workflow workflow, RunOptions? options = null)
    {
        var run = engine.Start(workflow, "go", options);
        var count = 0;
        await foreach (var _ in run.Events)
        {
            count++;
        }

        var result = await run.Completion;
        return result.Status == RunStatus.Completed ? count : throw new InvalidOperationException(result.Error?.Message);
    }
}
