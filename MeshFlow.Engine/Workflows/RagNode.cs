using MeshFlow.Retrieval.Documents;

namespace MeshFlow.Workflows;

/// <summary>
/// A node that retrieves from one of the tenant's knowledge bases: its output is its task with the chunks it found
/// put in front as numbered sources, so the agent after it answers from them and can cite them as <c>[n]</c>.
/// </summary>
/// <remarks>
/// It calls no model. The knowledge base is the run's tenant's; one the tenant does not have fails the step. Its
/// ledger record lists the chunks it used, and a resumed or replayed run reuses its recorded output.
/// </remarks>
public sealed class RagNode : WorkflowNode
{
    /// <summary>How many chunks a node retrieves unless it says.</summary>
    public const int DefaultTopK = 4;

    /// <summary>The most chunks a node may retrieve.</summary>
    public const int MaxTopK = 50;

    /// <summary>What <see cref="Query"/> replaces with the node's input.</summary>
    public const string InputPlaceholder = "{{input}}";

    /// <summary>Creates a node that retrieves from <paramref name="knowledgeBase"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="knowledgeBase"/> is not a knowledge base name (1 to 64 of a-z, 0-9, _ and -).</exception>
    public RagNode(string id, string knowledgeBase)
        : base(id)
    {
        if (!KnowledgeBaseNames.IsValid(knowledgeBase))
        {
            throw new ArgumentException(
                $"'{knowledgeBase}' is not a knowledge base name: use 1 to 64 lowercase letters, digits, '_' and '-'", nameof(knowledgeBase));
        }

        KnowledgeBase = knowledgeBase;
    }

    /// <inheritdoc />
    public override NodeKind Kind => NodeKind.Rag;

    /// <summary>The knowledge base it retrieves from, in the run's tenant.</summary>
    public string KnowledgeBase { get; }

    /// <summary>The query, where <c>{{input}}</c> stands for the node's input; null queries with the input itself.</summary>
    public string? Query { get; init; }

    /// <summary>How many chunks to retrieve, 1 to <see cref="MaxTopK"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is outside 1 to <see cref="MaxTopK"/>.</exception>
    public int TopK
    {
        get;
        init
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(value, MaxTopK);
            field = value;
        }
    } = DefaultTopK;

    /// <summary>How to rank chunks; null uses the knowledge base's default.</summary>
    public RetrievalMode? Mode { get; init; }

    /// <summary>The query this node sends for <paramref name="input"/>.</summary>
    public string QueryFor(string input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Query is { } template ? template.Replace(InputPlaceholder, input, StringComparison.Ordinal) : input;
    }
}
