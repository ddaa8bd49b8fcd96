using MeshFlow.Agents;
using MeshFlow.Governance;
using MeshFlow.Governance.Identity;
using MeshFlow.Ledger;
using MeshFlow.Memory;
using MeshFlow.Observability.Metrics;
using MeshFlow.Retrieval.Documents;
using MeshFlow.Retrieval.Vectors;
using MeshFlow.Steps;
using MeshFlow.Workflows;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.VectorData;

namespace MeshFlow.Execution;

/// <summary>
/// Runs workflows in this process: start a run, read its events as they happen, await its result.
/// One engine serves any number of concurrent runs.
/// </summary>
/// <example>
/// <code>
/// var engine = new MeshFlowEngine();
/// var run = engine.Start(workflow, "Draft an NDA clause.");
/// await foreach (var evt in run.Events) { if (evt is TokenDeltaEvent delta) Console.Write(delta.Text); }
/// var result = await run.Completion;
/// </code>
/// </example>
public sealed class MeshFlowEngine
{
    private readonly Dictionary<string, AIFunction> _tools;

    /// <summary>Creates an engine; without options, agents run on the offline model, and the governance checks keep identities in memory.</summary>
    /// <exception cref="ArgumentException">A ledger is set whose store keeps no governance data, and no governance store is given.</exception>
    public MeshFlowEngine(MeshFlowEngineOptions? options = null)
    {
        options ??= new MeshFlowEngineOptions();
        TimeProvider = options.TimeProvider;
        Ledger = options.Ledger;
        PublicUrl = options.PublicUrl;
        Embeddings = options.Embeddings;
        Metrics = options.Metrics ?? NullMeshFlowMetrics.Instance;
        Checks = [.. options.Checks];
        Pipeline = new StepPipeline(Checks);
        var governance = options.GovernanceStore
            ?? (options.Ledger is { } ledger
                ? ledger.Store as IGovernanceStore ?? throw new ArgumentException(
                    $"the ledger's store ({ledger.Store.GetType().Name}) keeps no agent identities or tenant policies: set " +
                    "MeshFlowEngineOptions.GovernanceStore, so that revocations and tenant policies are shared by every worker", nameof(options))
                : new InMemoryGovernanceStore());
        Agents = new AgentDirectory(governance, TimeProvider);
        DailySpend = new TenantDailySpend(governance, TimeProvider);
        Secrets = [.. options.Secrets.Concat(options.Providers.Secrets()).Where(s => s.Length >= 8).Distinct(StringComparer.Ordinal)];
        Models = new ChatModelCatalog(options.Providers, options.Prices, new Dictionary<string, ModelPricing>(options.Pricing, StringComparer.OrdinalIgnoreCase),
            options.TimeProvider);
        // With a ledger whose store keeps vectors, memories and knowledge live there too, so the ledger's erasure reaches them.
        Vectors = options.Vectors ?? (options.Ledger?.Store is IVectorEntryStore durable ? new LedgerVectorStore(durable) : new InMemoryVectorStore());
        Memory = new AgentMemoryStore(Vectors, Embeddings, options.Memory, TimeProvider, options.Providers.LoggerFactory?.CreateLogger<AgentMemoryStore>());
        Knowledge = new KnowledgeBases(Vectors, Embeddings, options.Knowledge, TimeProvider);
        _tools = new Dictionary<string, AIFunction>(StringComparer.Ordinal);
        foreach (var tool in options.Tools)
        {
            _tools[tool.Name] = tool;
        }

        foreach (var tool in MeshFlow.Tools.BuiltIn.BuiltInTools.Create(options.BuiltInTools, TimeProvider))
        {
            _tools.TryAdd(tool.Name, tool);
        }
    }

    /// <summary>The audit ledger runs are written through, or null.</summary>
    public AuditLedger? Ledger { get; }

    /// <summary>The embedding generator of memory and knowledge bases; null when none is configured.</summary>
    public IEmbeddingGenerator<string, Embedding<float>>? Embeddings { get; }

    /// <summary>The API's public base URL for approval links, or null for links relative to the API's root.</summary>
    public string? PublicUrl { get; }

    /// <summary>Where runs and steps report their metrics (nothing is recorded unless the options name a recorder).</summary>
    public IMeshFlowMetrics Metrics { get; }

    /// <summary>The clock.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>The step pipeline's checks, in order.</summary>
    public IReadOnlyList<IStepCheck> Checks { get; }

    internal StepPipeline Pipeline { get; }

    /// <summary>The deployment's secret values the guardian looks for (<see cref="MeshFlowEngineOptions.Secrets"/>).</summary>
    internal IReadOnlyList<string> Secrets { get; }

    /// <summary>The identities of the agents this engine runs, and whether they were revoked.</summary>
    public AgentDirectory Agents { get; }

    /// <summary>What each tenant has spent today, for the policy's daily budget.</summary>
    public TenantDailySpend DailySpend { get; }

    /// <summary>Where agent nodes get their chat clients.</summary>
    public ChatModelCatalog Models { get; }

    /// <summary>Where knowledge chunks and agent memories keep their vectors (<see cref="MeshFlowEngineOptions.Vectors"/>).</summary>
    public VectorStore Vectors { get; }

    /// <summary>What agents remember across steps and runs (<c>memory:</c> on an agent node), in <see cref="Vectors"/>.</summary>
    public AgentMemoryStore Memory { get; }

    /// <summary>Each tenant's knowledge bases, kept in <see cref="Vectors"/> and embedded with <see cref="Embeddings"/>.</summary>
    public KnowledgeBases Knowledge { get; }

    /// <summary>Ingests the knowledge bases workflows carry, once per tenant, before their first rag step.</summary>
    internal Retrieval.Rag.WorkflowKnowledgeSeeder KnowledgeSeeder { get; } = new();

    /// <summary>The registered tools, by name.</summary>
    public IReadOnlyDictionary<string, AIFunction> Tools => _tools;

    /// <summary>The names of the registered tools.</summary>
    public IEnumerable<string> ToolNames => _tools.Keys.Order(StringComparer.Ordinal);

    /// <summary>The registered tool a node names; a node naming another fails with the names it could have used.</summary>
    internal AIFunction RequireTool(string name) =>
        FindTool(name) ?? throw new InvalidOperationException($"tool '{name}' is not registered (registered: {string.Join(", ", ToolNames)})");

    /// <summary>Finds a registered tool.</summary>
    public AIFunction? FindTool(string name) => _tools.GetValueOrDefault(name);

    /// <summary>Starts a run and returns at once; the run proceeds in the background.</summary>
    public WorkflowRun Start(Workflow workflow, string input, RunOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        ArgumentNullException.ThrowIfNull(input);
        options ??= DefaultOptions;
        var runId = options.RunId ?? NewRunId();
        var events = new RunEventStream(options.CaptureEvents, TimeProvider, options.DeliverEventsInline);
        var cancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var run = new WorkflowRun(runId, workflow, events, cancellation);
        if (options.Resume && (options.RunId is null || Ledger is null))
        {
            throw new ArgumentException("resuming a run needs its RunId and an engine with a ledger", nameof(options));
        }

        var execution = new RunExecution(this, workflow, input, runId, options.Policy ?? workflow.Policy, events, cancellation, options);
        run.Completion = RunToEndAsync(execution, cancellation, options.Replay is null ? Metrics : NullMeshFlowMetrics.Instance);
        return run;
    }

    /// <summary>Runs a workflow to its end without events and returns the result.</summary>
    public Task<RunResult> RunAsync(Workflow workflow, string input, RunOptions? options = null, CancellationToken cancellationToken = default) =>
        Start(workflow, input, (options ?? DefaultOptions) with { CaptureEvents = false }, cancellationToken).Completion;

    private static RunOptions DefaultOptions { get; } = new();

    private static string NewRunId() => "run_" + Guid.CreateVersion7().ToString("N");

    private static async Task<RunResult> RunToEndAsync(RunExecution execution, CancellationTokenSource cancellation, IMeshFlowMetrics metrics)
    {
        try
        {
            var result = await execution.ExecuteAsync().ConfigureAwait(false);
            // A replay records nothing and counts nothing; a paused run has not ended.
            if (result.Status != Runs.RunStatus.Paused)
            {
                metrics.RunEnded(result.Status, execution.Executed);
            }

            return result;
        }
        finally
        {
            cancellation.Dispose();
        }
    }
}
