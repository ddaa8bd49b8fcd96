using System.Buffers;

namespace MeshFlow.Retrieval.Documents;

/// <summary>What a knowledge base may be called: 1 to 64 characters of <c>a-z</c>, <c>0-9</c>, <c>_</c> and <c>-</c>.</summary>
public static class KnowledgeBaseNames
{
    /// <summary>The longest name.</summary>
    public const int MaxLength = 64;

    private static readonly SearchValues<char> Allowed = SearchValues.Create("abcdefghijklmnopqrstuvwxyz0123456789_-");

    /// <summary>Whether <paramref name="name"/> is a valid knowledge-base name.</summary>
    public static bool IsValid(string? name) =>
        name is { Length: > 0 and <= MaxLength } && !name.AsSpan().ContainsAnyExcept(Allowed);

    /// <summary>Throws unless <paramref name="name"/> is valid.</summary>
    /// <exception cref="ArgumentException">The name is not valid; the message says what is allowed.</exception>
    public static void Validate(string? name, string paramName = "name")
    {
        if (!IsValid(name))
        {
            throw new ArgumentException($"a knowledge base name is 1 to {MaxLength} characters of a-z, 0-9, '_' and '-'", paramName);
        }
    }
}
