namespace MeshFlow.Agents;

/// <summary>Splits text into word-sized chunks (each word with the whitespace before it), as a model streams.</summary>
internal static class TextChunker
{
    public static IEnumerable<string> Chunks(string text)
    {
        var start = 0;
        while (start < text.Length)
        {
            var end = start;
            while (end < text.Length && char.IsWhiteSpace(text[end]))
            {
                end++;
            }

            while (end < text.Length && !char.IsWhiteSpace(text[end]))
            {
                end++;
            }

            yield return text[start..end];
            start = end;
        }
    }
}
