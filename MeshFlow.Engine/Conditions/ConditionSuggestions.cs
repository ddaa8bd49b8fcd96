namespace MeshFlow.Conditions;

/// <summary>Finds the known name a misspelt one was probably meant to be, for "did you mean" hints.</summary>
internal static class ConditionSuggestions
{
    private const int MaxDistance = 2;

    /// <summary>
    /// The candidate equal to <paramref name="name"/> ignoring case, else the closest one within two edits
    /// (insertions, deletions, substitutions), else null.
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
            if (distance < bestDistance && distance < candidate.Length)
            {
                best = candidate;
                bestDistance = distance;
            }
        }

        return best;
    }

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
                var substitution = previous[j - 1] + (char.ToLowerInvariant(a[i - 1]) == char.ToLowerInvariant(b[j - 1]) ? 0 : 1);
                current[j] = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), substitution);
            }

            (previous, current) = (current, previous);
        }

        return previous[b.Length];
    }
}
