namespace MeshFlow.Governance.Risk;

/// <summary>
/// Decides whether a path stays inside the scratch folder, the same way for Unix and Windows paths and on any host OS:
/// <c>/</c> and <c>\</c> both separate, <c>.</c> and <c>..</c> are resolved (never above the root), relative paths start
/// at the scratch folder, and drive-letter paths compare without case. Nothing is allocated and the disk is not read,
/// so a symlink inside the scratch folder that points out of it is the sandbox's concern, not this rule's.
/// </summary>
internal static class ScratchPaths
{
    // Paths deeper than this are treated as outside rather than read further.
    private const int MaxSegments = 64;

    /// <summary>An absolute path: <c>/x</c>, <c>~</c>, <c>~/x</c>, <c>C:\x</c>, <c>C:/x</c>, <c>\\server\share</c> or <c>file://</c>.</summary>
    public static bool LooksAbsolute(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty || text.Length > 4096 || text.ContainsAny('\n', '\r'))
        {
            return false;
        }

        return (text[0] == '/' && !text.StartsWith("//")) || text is "~" || text.StartsWith("~/") || text.StartsWith("\\\\")
            || HasDrive(text) || text.StartsWith("file://", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>True when <paramref name="path"/> resolves to <paramref name="scratch"/> or below it.</summary>
    public static bool IsInside(ReadOnlySpan<char> path, string? scratch)
    {
        if (scratch is null || scratch.Length == 0)
        {
            return false;
        }

        if (path.StartsWith("file://", StringComparison.OrdinalIgnoreCase))
        {
            path = path[7..];
        }

        var root = scratch.AsSpan();
        var ignoreCase = HasDrive(root) || HasDrive(path);
        Span<Range> resolved = stackalloc Range[MaxSegments];
        Span<Range> scratchSegments = stackalloc Range[MaxSegments];

        // The scratch folder's own segments; a path's segments are compared to them in the path's own buffer below.
        var scratchCount = Resolve(root, scratchSegments, 0);
        if (scratchCount < 0)
        {
            return false;
        }

        var count = 0;
        var pathStartsAtRoot = IsRooted(path);
        if (!pathStartsAtRoot)
        {
            scratchSegments[..scratchCount].CopyTo(resolved);
            count = scratchCount;
        }

        // Segments below `count` point into the scratch string; those added now point into the path. Ranges carry
        // no source, so remember where the path's segments begin and that ".." may pop scratch ones.
        var fromScratch = count;
        var pathCount = ResolveInto(path, resolved, count, ref fromScratch);
        if (pathCount < 0 || pathCount < scratchCount)
        {
            return false;
        }

        var comparison = ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        for (var i = 0; i < scratchCount; i++)
        {
            var segment = i < fromScratch ? root[resolved[i]] : path[resolved[i]];
            if (!segment.Equals(root[scratchSegments[i]], comparison))
            {
                return false;
            }
        }

        return true;
    }

    private static int Resolve(ReadOnlySpan<char> text, Span<Range> segments, int count)
    {
        var fromScratch = int.MaxValue;
        return ResolveInto(text, segments, count, ref fromScratch);
    }

    // Appends text's segments to segments[..count], popping on "..". `fromScratch` is the count of leading segments
    // that belong to the scratch folder; popping below it lowers it. Returns the new count, or -1 when too deep.
    private static int ResolveInto(ReadOnlySpan<char> text, Span<Range> segments, int count, ref int fromScratch)
    {
        var position = 0;
        while (position < text.Length)
        {
            while (position < text.Length && text[position] is '/' or '\\')
            {
                position++;
            }

            var start = position;
            while (position < text.Length && text[position] is not ('/' or '\\'))
            {
                position++;
            }

            var segment = text[start..position];
            if (segment.IsEmpty || segment is ".")
            {
                continue;
            }

            if (segment is "..")
            {
                if (count > 0)
                {
                    count--;
                    fromScratch = Math.Min(fromScratch, count);
                }

                continue;
            }

            if (count == segments.Length)
            {
                return -1;
            }

            segments[count++] = start..position;
        }

        return count;
    }

    private static bool IsRooted(ReadOnlySpan<char> path) =>
        !path.IsEmpty && (path[0] is '/' or '\\' or '~' || HasDrive(path));

    private static bool HasDrive(ReadOnlySpan<char> path) =>
        path.Length >= 2 && char.IsAsciiLetter(path[0]) && path[1] == ':' && (path.Length == 2 || path[2] is '/' or '\\');
}
