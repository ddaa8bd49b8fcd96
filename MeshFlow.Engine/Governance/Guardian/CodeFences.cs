namespace MeshFlow.Governance.Guardian;

/// <summary>
/// Where the markdown code fences (<c>```</c>) of a text are, found on first use, so that each of many matches can ask
/// whether it sits inside a code block without rescanning the text.
/// </summary>
internal struct CodeFences
{
    private List<int>? _fences;

    public bool Contains(ReadOnlySpan<char> text, int position)
    {
        if (_fences is null)
        {
            _fences = [];
            for (var from = 0; from < text.Length;)
            {
                var fence = text[from..].IndexOf("```", StringComparison.Ordinal);
                if (fence < 0)
                {
                    break;
                }

                _fences.Add(from + fence);
                from += fence + 3;
            }
        }

        var index = _fences.BinarySearch(position);
        var before = index >= 0 ? index : ~index;

        // Inside a block when an odd number of fences open before the position.
        return before % 2 == 1;
    }
}
