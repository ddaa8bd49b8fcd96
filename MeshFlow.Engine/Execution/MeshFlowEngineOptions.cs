using MeshFlow.Agents;
using MeshFlow.Agents.Providers;
using MeshFlow.Governance;
using MeshFlow.Ledger;
using MeshFlow.Memory;
using MeshFlow.Observability.Metrics;
using MeshFlow.Retrieval.Documents;
using MeshFlow.Retrieval.Vectors;
using MeshFlow.Tools.BuiltIn;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.VectorData;

namespace MeshFlow.Execution;

/// <summary>How a <see cref="MeshFlowEngine"/> is set up.</summary>
public sealed class MeshFlowEngineOptions
{
    /// <summary>
    /// Where runs and steps report their metrics (<see cref="MeshFlowMetrics"/> in a host, which <c>AddMeshFlowEngine</c>
    /// sets); null records nothing beyond the static run and step counters.
    /// </summary>
    public IMeshFlowMetrics? Metrics { get; set; }

    /// <summary>
    /// The default LLM connection (<c>ConnectionStrings:llm</c>) for provider models; with none, agents that name no
    /// provider run on the offline model. The same as <see cref="Providers"/>' connection named
    /// <see cref="LlmConnection.DefaultName"/>.
    /// </summary>
    public LlmConnection? Llm
    {
        get => Providers.Connections.TryGetValue(LlmConnection.DefaultName, out var connection) ? connection : null;
        set
        {
            if (value is null)
            {
                Providers.Connections.Remove(LlmConnection.DefaultName);
            }
            else
            {
                Providers.Connections[LlmConnection.DefaultName] = value;
            }
        }
    }

    /// <summary>Every named LLM connection (<c>ConnectionStrings:llm-&lt;name&gt;</c>), and how provider clients are made.</summary>
    public ChatProviderOptions Providers { get; } = new();

    /// <summary>The price table; starts with the list prices shipped with MeshFlow (<see cref="PriceTable.Default"/>).</summary>
    public PriceTable Prices { get; set; } = PriceTable.Default;

    /// <summary>Prices by <c>model</c> or <c>provider/model</c> that override <see cref="Prices"/>.</summary>
    public IDictionary<string, ModelPricing> Pricing { get; } = new Dictionary<string, ModelPricing>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// The step pipeline's checks, in order; starts with the built-in governance checks: <see cref="IdentityCheck"/>,
    /// <see cref="BudgetCheck"/>, <see cref="RiskCheck"/>, <see cref="GuardianCheck"/>, <see cref="CollusionCheck"/> and
    /// <see cref="UncertaintyCheck"/> (the guardian and the collusion audit act only when the policy turns them on). Checks added after them
    /// see their findings.
    /// </summary>
    public IList<IStepCheck> Checks { get; } =
        [IdentityCheck.Instance, BudgetCheck.Instance, RiskCheck.Instance, GuardianCheck.Instance, CollusionCheck.Instance, UncertaintyCheck.Instance];

    /// <summary>
    /// Where agent identities, revocations and tenant policies are kept; null for the ledger's store when it keeps
    /// them (both built-in stores do), else this process's memory.
    /// </summary>
    public IGovernanceStore? GovernanceStore { get; set; }

    /// <summary>Tools that tool nodes and declarative agents can name; one named like a built-in tool replaces it.</summary>
    public IList<AIFunction> Tools { get; } = [];

    /// <summary>
    /// Which built-in tools (<see cref="BuiltInToolNames"/>) the engine offers by name besides <see cref="Tools"/>, and
    /// their workspace, sandbox and network limits.
    /// </summary>
    public BuiltInToolOptions BuiltInTools { get; } = new();

    /// <summary>
    /// The audit ledger every run is written through (run_start, each step with its checkpoint, run_end, the signed
    /// head); null records nothing.
    /// </summary>
    public AuditLedger? Ledger { get; set; }

    /// <summary>
    /// The API's public base URL (for example <c>https://meshflow.example.com</c>), from which a pause's approve and
    /// reject links are made; null gives links relative to the API's root.
    /// </summary>
    public string? PublicUrl { get; set; }

    /// <summary>
    /// Secret values of this deployment (keys, passwords, webhook secrets) that the guardian strips from agents' output
    /// and refuses in tool arguments wherever they appear; the LLM connection's key is added on its own. Values shorter
    /// than 8 characters are ignored.
    /// </summary>
    public IList<string> Secrets { get; } = [];

    /// <summary>
    /// The embedding generator of agent memory and knowledge bases (the model id and dimension it reports through
    /// <see cref="EmbeddingGeneratorMetadata"/> are stored with every vector); null: none is configured, and memory
    /// falls back to keyword matching. <c>AddMeshFlowEngine</c> takes the one registered in the services.
    /// </summary>
    public IEmbeddingGenerator<string, Embedding<float>>? Embeddings { get; set; }

    /// <summary>
    /// Where knowledge chunks and agent memories keep their vectors (collections of <see cref="VectorEntry"/>); null for
    /// an <see cref="InMemoryVectorStore"/> of the engine's own. <c>AddMeshFlowLedger</c> registers the durable one.
    /// </summary>
    public VectorStore? Vectors { get; set; }

    /// <summary>How agent memory merges, keeps and ranks memories (budgets per scope, similarity thresholds).</summary>
    public AgentMemoryStoreOptions Memory { get; } = new();

    /// <summary>How knowledge bases (<see cref="MeshFlowEngine.Knowledge"/>) chunk documents and rank chunks.</summary>
    public KnowledgeBaseOptions Knowledge { get; } = new();

    /// <summary>The clock for timestamps, durations and step timeouts.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;
}
