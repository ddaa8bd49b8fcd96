using MeshFlow.Governance;

namespace MeshFlow.Workflows;

/// <summary>
/// A validated, immutable workflow graph: nodes, forward edges (conditional or not) and bounded loop edges.
/// Build one with <see cref="WorkflowBuilder"/> or load one from YAML with <c>WorkflowYaml.Load</c>.
/// </summary>
/// <remarks>
/// <para>Execution: nodes without incoming forward edges run first. A node runs once every incoming forward edge
/// is resolved and at least one was taken; if none was taken it is skipped, and so are the edges leaving it.
/// Nodes that become ready together run concurrently (fan-out); a node with several incoming edges waits for all
/// of them (fan-in) and sees their outputs in edge declaration order, whatever order they finished in.</para>
/// <para>After a node completes, its loop edges are tried first, in declaration order. When one's condition
/// holds, its target and everything forward-reachable from it run again (the loop body), and the source's forward
/// edges wait for a later pass. A loop edge allows <see cref="WorkflowEdge.MaxIterations"/> passes in all; wanting
/// one more ends the run with <c>MaxIterationsExceeded</c> naming the edge.</para>
/// <para>A workflow can run any number of times at once: all run state lives in the run, not here.</para>
/// </remarks>
public sealed class Workflow
{
    internal Workflow(string name, Policy policy, IReadOnlyList<WorkflowNode> nodes, IReadOnlyList<WorkflowEdge> edges,
        IReadOnlyList<string> outputNodes)
    {
        Name = name;
        Policy = policy;
        Nodes = nodes;
        Edges = edges;
        OutputNodes = outputNodes;
        Graph = new WorkflowGraph(nodes, edges, outputNodes);
    }

    /// <summary>The workflow's name.</summary>
    public string Name { get; }

    /// <summary>The policy runs get unless they bring their own.</summary>
    public Policy Policy { get; }

    /// <summary>
    /// True when the workflow states its policy (<c>policy:</c>, or <c>WithPolicy</c>); false when it runs under the
    /// standard preset only because it names none, where a tenant's default policy takes its place.
    /// </summary>
    public bool PolicyDeclared { get; init; }

    /// <summary>The nodes, in declaration order.</summary>
    public IReadOnlyList<WorkflowNode> Nodes { get; }

    /// <summary>The edges, in declaration order.</summary>
    public IReadOnlyList<WorkflowEdge> Edges { get; }

    /// <summary>
    /// The knowledge bases the workflow carries (<see cref="WorkflowBuilder.AddKnowledgeBase"/>), ingested into a
    /// tenant's knowledge bases of the same names before the workflow's first rag step in that tenant reads them.
    /// </summary>
    public IReadOnlyList<WorkflowKnowledgeBase> KnowledgeBases { get; init; } = [];

    /// <summary>The nodes whose outputs make the run's output; empty means every node without outgoing forward edges.</summary>
    public IReadOnlyList<string> OutputNodes { get; }

    internal WorkflowGraph Graph { get; }

    /// <summary>The SHA-256 (hex) of the workflow's canonical definition, as its run_start records cite it.</summary>
    public string Digest => field ??= WorkflowDigest.Compute(this);

    /// <summary>Finds a node by id.</summary>
    public WorkflowNode? FindNode(string id) =>
        Graph.IndexOf.TryGetValue(id, out var index) ? Graph.Nodes[index] : null;
}
