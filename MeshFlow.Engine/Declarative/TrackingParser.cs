using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace MeshFlow.Declarative;

/// <summary>
/// A YAML parser that remembers which collections are open, so that when the scanner fails without saying where
/// (it can, on a flow collection left open across lines) the error can still point at the unclosed bracket, and
/// that stops at the first collection nested deeper than <see cref="WorkflowYaml.MaxNestingDepth"/>: the
/// representation model loads nested collections recursively, so unbounded nesting would exhaust the stack.
/// An alias counts as the value its anchor names, copied where the alias stands: everything that reads the loaded
/// nodes walks an alias's value again at each use, so the bound on nesting and the bound on values
/// (<see cref="MaxExpandedValues"/>) hold for the document as read, not only as written.
/// </summary>
internal sealed class TrackingParser(TextReader reader) : IParser
{
    /// <summary>
    /// How many values (scalars, lists and mappings) a document may hold once every alias is expanded. A definition
    /// is at most 64 KiB, so it writes out fewer than this; only aliases that refer to aliases reach it, and those
    /// (a "billion laughs") would otherwise make every later walk over the nodes take exponential time.
    /// </summary>
    public const int MaxExpandedValues = 100_000;

    private readonly Scanner _scanner = new(reader);
    private readonly Stack<Collection> _open = new();
    private readonly Dictionary<string, (int Depth, long Values)> _anchors = new(StringComparer.Ordinal);
    private long _expandedValues;
    private Parser? _parser;

    public ParsingEvent? Current => Inner.Current;

    /// <summary>Where the scanner has got to.</summary>
    public Mark Position => _scanner.CurrentPosition;

    /// <summary>The innermost flow collection (<c>[</c> or <c>{</c>) still open, if any.</summary>
    public (Mark Start, char Bracket)? OpenFlowCollection =>
        _open.FirstOrDefault(c => c.Flow) is { Flow: true } open ? (open.Start, open.Bracket) : null;

    /// <summary>The first alias (<c>*name</c>) naming no anchor defined before it, if any.</summary>
    public (string Name, Mark Start)? UnknownAlias { get; private set; }

    private Parser Inner => _parser ??= new Parser(_scanner);

    public bool MoveNext()
    {
        if (!Inner.MoveNext())
        {
            return false;
        }

        switch (Inner.Current)
        {
            case AnchorAlias alias:
                Alias(alias);
                break;
            case SequenceStart sequence:
                Open(sequence.Style == SequenceStyle.Flow, sequence.Start, '[', sequence.Anchor);
                break;
            case MappingStart mapping:
                Open(mapping.Style == MappingStyle.Flow, mapping.Start, '{', mapping.Anchor);
                break;
            case SequenceEnd or MappingEnd when _open.Count > 0:
                Close(_open.Pop());
                break;
            case Scalar scalar:
                if (!scalar.Anchor.IsEmpty)
                {
                    _anchors[scalar.Anchor.Value] = (0, 1);
                }

                Add(0, 1, scalar.Start, null);
                break;
        }

        return true;
    }

    private void Alias(AnchorAlias alias)
    {
        var name = alias.Value.Value;
        if (_open.Any(c => c.Anchor == name))
        {
            // An alias inside the collection its anchor opens would make the value contain itself: no depth bounds it.
            throw new YamlNestingException(alias.Start, name);
        }

        if (_anchors.TryGetValue(name, out var anchored))
        {
            Add(anchored.Depth, anchored.Values, alias.Start, name);
        }
        else
        {
            UnknownAlias ??= (name, alias.Start);
        }
    }

    private void Open(bool flow, Mark start, char bracket, AnchorName anchor)
    {
        if (_open.Count >= WorkflowYaml.MaxNestingDepth)
        {
            throw new YamlNestingException(start);
        }

        Count(1, start, null);
        _open.Push(new(flow, start, bracket, anchor.IsEmpty ? null : anchor.Value));
    }

    private void Close(Collection closed)
    {
        var depth = closed.DeepestChild + 1;
        if (closed.Anchor is { } name)
        {
            _anchors[name] = (depth, closed.Values + 1);
        }

        if (_open.TryPeek(out var parent))
        {
            parent.DeepestChild = Math.Max(parent.DeepestChild, depth);
            parent.Values += closed.Values + 1;
        }
    }

    // A value of the given depth and size placed in the innermost open collection: a scalar (depth 0) or an alias.
    private void Add(int depth, long values, Mark start, string? alias)
    {
        if (_open.Count + depth > WorkflowYaml.MaxNestingDepth)
        {
            throw new YamlNestingException(start, alias);
        }

        Count(values, start, alias);
        if (_open.TryPeek(out var parent))
        {
            parent.DeepestChild = Math.Max(parent.DeepestChild, depth);
            parent.Values += values;
        }
    }

    private void Count(long values, Mark start, string? alias)
    {
        _expandedValues += values;
        if (_expandedValues > MaxExpandedValues)
        {
            throw new YamlExpansionException(start, alias);
        }
    }

    private sealed class Collection(bool flow, Mark start, char bracket, string? anchor)
    {
        public bool Flow { get; } = flow;

        public Mark Start { get; } = start;

        public char Bracket { get; } = bracket;

        public string? Anchor { get; } = anchor;

        /// <summary>The depth of its deepest child so far (0 for none or only scalars).</summary>
        public int DeepestChild { get; set; }

        /// <summary>Its children's values so far, aliases expanded.</summary>
        public long Values { get; set; }
    }
}
