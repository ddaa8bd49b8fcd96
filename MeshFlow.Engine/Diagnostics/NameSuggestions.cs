namespace MeshFlow.Diagnostics;

/// <summary>Finds the known name a misspelt one was probably meant to be, for "did you mean" hints.</summary>
internal static class NameSuggestions
{
    private const int MaxDistance = 2;

    /// <summary>
    /// The candidate equal to <paramref name="name"/> ignoring case, else the closest within two edits, else null.
    /// </summary>
    public static string? Closest(string name, IEnumerable<string> candidates)
    {
        string? best = null;
        var bestDistance = MaxDistance + 1;
        foreach (var candidate in candidates)
        {
            if (string.Equals(candidate, name, StringComparison.OrdinalIgnoreCase))
            {
                return candidate;
            }

            var distance = Distance(name, candidate);
            if (distance < bestDistance && distance < candidate.Length && distance < name.Length)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        return best;
    }

    /// <summary><c> (did you mean 'x'?)</c> or nothing.</summary>
    public static string Hint(string name, IEnumerable<string> candidates) =>
        Closest(name, candidates) is { } closest ? $"did you mean '{closest}'? " : string.Empty;

    private static int Distance(string a, string b)
    {
        if (Math.Abs(a.Length - b.Length) > MaxDistance)
        {
            return MaxDistance + 1;
        }

        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var same = char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]);
                current[j] = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + (same ? 0 : 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
