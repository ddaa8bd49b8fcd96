using MeshFlow.Conditions;
using MeshFlow.Governance;
using MeshFlow.Retrieval.Documents;

namespace MeshFlow.Workflows;

/// <summary>Builds a <see cref="Workflow"/> in C#. <see cref="Build"/> reports every problem at once.</summary>
/// <example>
/// <code>
/// var workflow = new WorkflowBuilder("review")
///     .AddAgent("writer", "Draft the clause.")
///     .AddAgent("critic", "Answer APPROVED or REVISE with reasons.")
///     .AddEdge("writer", "critic")
///     .AddLoopEdge("critic", "writer", "!contains(output, 'APPROVED')", maxIterations: 3)
///     .WithOutput("writer")
///     .Build();
/// </code>
/// </example>
public sealed class WorkflowBuilder
{
    private readonly List<WorkflowNode> _nodes = [];
    private readonly List<WorkflowEdge> _edges = [];
    private readonly List<string> _outputs = [];
    private readonly List<WorkflowValidationError> _errors = [];
    private readonly Dictionary<string, List<KnowledgeDocument>> _knowledge = new(StringComparer.Ordinal);
    private Policy _policy = Policy.ForMode(PolicyModes.Standard);
    private bool _policyDeclared;

    /// <summary>Starts a workflow with a name.</summary>
    public WorkflowBuilder(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        Name = name;
    }

    /// <summary>The workflow's name.</summary>
    public string Name { get; }

    /// <summary>Sets the policy runs get unless they bring their own (default: <c>standard</c>).</summary>
    public WorkflowBuilder WithPolicy(Policy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        _policy = policy;
        _policyDeclared = true;
        return this;
    }

    /// <summary>Adds a node.</summary>
    public WorkflowBuilder AddNode(WorkflowNode node)
    {
        ArgumentNullException.ThrowIfNull(node);
        _nodes.Add(node);
        return this;
    }

    /// <summary>Adds an agent node.</summary>
    public WorkflowBuilder AddAgent(string id, string? instructions = null, string? model = null, string? role = null) =>
        AddNode(new AgentNode(id) { Instructions = instructions, Model = model, Role = role });

    /// <summary>Adds an approval step: the run waits for a person, who is shown <paramref name="instructions"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="instructions"/> is null, empty or blank.</exception>
    public WorkflowBuilder AddHuman(string id, string instructions, string? role = null) =>
        AddNode(new HumanNode(id, instructions) { Role = role });

    /// <summary>Adds a node that runs .NET code.</summary>
    public WorkflowBuilder AddFunction(string id, Func<NodeContext, string> function) =>
        AddNode(new FunctionNode(id, function));

    /// <summary>
    /// Adds a node that retrieves the <paramref name="topK"/> chunks of <paramref name="knowledgeBase"/> most relevant to
    /// its input (or to <paramref name="query"/>, where <c>{{input}}</c> stands for it) and puts them in front of its
    /// task as numbered sources.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="knowledgeBase"/> is not a knowledge base name.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="topK"/> is outside 1 to 50.</exception>
    public WorkflowBuilder AddRag(string id, string knowledgeBase, int topK = RagNode.DefaultTopK, string? query = null, RetrievalMode? mode = null) =>
        AddNode(new RagNode(id, knowledgeBase) { TopK = topK, Query = query, Mode = mode });

    /// <summary>
    /// Makes the workflow carry <paramref name="documents"/> for the knowledge base <paramref name="name"/>: before
    /// the workflow's first rag step in a tenant, they are ingested into that tenant's knowledge base of this name,
    /// once per tenant (again only when they change). A document without an id gets one from its text, so
    /// ingesting it again replaces it rather than adding a copy.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a knowledge base name, or a document's text is empty.</exception>
    public WorkflowBuilder AddKnowledgeBase(string name, IEnumerable<KnowledgeDocument> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        if (!KnowledgeBaseNames.IsValid(name))
        {
            throw new ArgumentException($"'{name}' is not a knowledge base name: use 1 to 64 lowercase letters, digits, '_' and '-'", nameof(name));
        }

        if (!_knowledge.TryGetValue(name, out var list))
        {
            _knowledge[name] = list = [];
        }

        foreach (var document in documents)
        {
            ArgumentNullException.ThrowIfNull(document, nameof(documents));
            if (string.IsNullOrWhiteSpace(document.Text))
            {
                throw new ArgumentException($"a document of knowledge base '{name}' has no text", nameof(documents));
            }

            list.Add(document.Id is { Length: > 0 } ? document : document with { Id = WorkflowKnowledgeBase.ContentId(document.Text) });
        }

        return this;
    }

    /// <summary>Adds an edge taken whenever its source completes.</summary>
    public WorkflowBuilder AddEdge(string from, string to) => AddEdgeCore(from, to, null, isLoop: false, 10);

    /// <summary>Adds an edge taken when the expression holds on its source's output.</summary>
    public WorkflowBuilder AddEdge(string from, string to, string when) =>
        AddEdgeCore(from, to, Parse(when, $"edges[{_edges.Count}].when"), isLoop: false, 10);

    /// <summary>Adds an edge taken when the predicate holds.</summary>
    public WorkflowBuilder AddEdge(string from, string to, Func<IConditionScope, bool> when) =>
        AddEdgeCore(from, to, EdgeCondition.Predicate(when), isLoop: false, 10);

    /// <summary>
    /// Adds a loop edge: a bounded back-edge. After <paramref name="source"/> completes, if
    /// <paramref name="condition"/> holds, <paramref name="target"/> runs again; the loop makes at most
    /// <paramref name="maxIterations"/> passes, and wanting another ends the run with <c>MaxIterationsExceeded</c>.
    /// </summary>
    public WorkflowBuilder AddLoopEdge(string source, string target, string condition, int maxIterations = 10) =>
        AddEdgeCore(source, target, Parse(condition, $"edges[{_edges.Count}].when"), isLoop: true, maxIterations);

    /// <inheritdoc cref="AddLoopEdge(string, string, string, int)"/>
    public WorkflowBuilder AddLoopEdge(string source, string target, Func<IConditionScope, bool> condition, int maxIterations = 10) =>
        AddEdgeCore(source, target, EdgeCondition.Predicate(condition), isLoop: true, maxIterations);

    /// <summary>Adds an edge from <paramref name="from"/> to each target: the targets run concurrently.</summary>
    public WorkflowBuilder AddFanOut(string from, params IEnumerable<string> to)
    {
        foreach (var target in to)
        {
            AddEdge(from, target);
        }

        return this;
    }

    /// <summary>Adds an edge from each source to <paramref name="to"/>: it waits for all and merges in this order.</summary>
    public WorkflowBuilder AddFanIn(IEnumerable<string> from, string to)
    {
        foreach (var source in from)
        {
            AddEdge(source, to);
        }

        return this;
    }

    /// <summary>Names the nodes whose outputs make the run's output (default: the nodes nothing follows).</summary>
    public WorkflowBuilder WithOutput(params IEnumerable<string> nodeIds)
    {
        _outputs.Clear();
        _outputs.AddRange(nodeIds);
        return this;
    }

    /// <summary>Validates and builds the workflow.</summary>
    /// <exception cref="WorkflowValidationException">The graph has problems; every one is listed.</exception>
    public Workflow Build()
    {
        var errors = new List<WorkflowValidationError>(_errors);
        errors.AddRange(GraphValidator.Validate(_nodes, _edges));
        var ids = _nodes.Select(n => n.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var output in _outputs.Where(o => !ids.Contains(o)))
        {
            errors.Add(new(WorkflowErrorCodes.UnknownNode, $"output refers to unknown node '{output}'", "output"));
        }

        if (errors.Count > 0)
        {
            throw new WorkflowValidationException(errors);
        }

        return new Workflow(Name, _policy, [.. _nodes], [.. _edges], [.. _outputs])
        {
            PolicyDeclared = _policyDeclared,
            KnowledgeBases = [.. _knowledge.Select(k => new WorkflowKnowledgeBase(k.Key, [.. k.Value]))],
        };
    }

    private WorkflowBuilder AddEdgeCore(string from, string to, EdgeCondition? condition, bool isLoop, int maxIterations)
    {
        if (isLoop && condition is null)
        {
            throw new ArgumentNullException(nameof(condition), "a loop edge needs a condition");
        }

        _edges.Add(new WorkflowEdge(from, to, condition, isLoop, maxIterations));
        return this;
    }

    private EdgeCondition? Parse(string text, string path)
    {
        if (ConditionExpression.TryParse(text, out var expression, out var error))
        {
            return EdgeCondition.Expression(expression!);
        }

        _errors.Add(new(WorkflowErrorCodes.InvalidCondition, $"condition '{text}' is invalid: {error!.Message}", path));
        return EdgeCondition.Predicate(static _ => false, text);
    }
}
