using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace MeshFlow.Declarative;

/// <summary>
/// A YAML parser that remembers which collections are open, so that when the scanner fails without saying where
/// (it can, on a flow collection left open across lines) the error can still point at the unclosed bracket, and
/// that stops at the first collection nested deeper than <see cref="WorkflowYaml.MaxNestingDepth"/>: the
/// representation model loads nested collections recursively, so unbounded nesting would exhaust the stack.
/// </summary>
internal sealed class TrackingParser(TextReader reader) : IParser
{
    private readonly Scanner _scanner = new(reader);
    private readonly Stack<(bool Flow, Mark Start, char Bracket)> _open = new();
    private readonly HashSet<string> _anchors = new(StringComparer.Ordinal);
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

        if (Inner.Current is NodeEvent { Anchor.IsEmpty: false } anchored)
        {
            _anchors.Add(anchored.Anchor.Value);
        }

        switch (Inner.Current)
        {
            case AnchorAlias alias when UnknownAlias is null && !_anchors.Contains(alias.Value.Value):
                UnknownAlias = (alias.Value.Value, alias.Start);
                break;
            case SequenceStart sequence:
                Open(sequence.Style == SequenceStyle.Flow, sequence.Start, '[');
                break;
            case MappingStart mapping:
                Open(mapping.Style == MappingStyle.Flow, mapping.Start, '{');
                break;
            case SequenceEnd or MappingEnd when _open.Count > 0:
                _open.Pop();
                break;
        }

        return true;
    }

    private void Open(bool flow, Mark start, char bracket)
    {
        if (_open.Count >= WorkflowYaml.MaxNestingDepth)
        {
            throw new YamlNestingException(start);
        }

        _open.Push((flow, start, bracket));
    }
}
