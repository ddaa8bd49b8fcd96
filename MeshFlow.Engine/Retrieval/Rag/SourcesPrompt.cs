using System.Globalization;
using System.Text;
using MeshFlow.Retrieval.Documents;

namespace MeshFlow.Retrieval.Rag;

/// <summary>
/// A rag step's output: the chunks it retrieved as numbered sources, then the task, then the request to cite them
/// as <c>[n]</c>, the numbers its ledger record lists.
/// </summary>
public static class SourcesPrompt
{
    /// <summary>The line that asks the answer to cite its sources.</summary>
    public const string CiteInstruction = "Answer from the sources above. Cite each source you use as [n], its number in the list.";

    /// <summary>The task with <paramref name="chunks"/> in front as numbered sources.</summary>
    /// <param name="knowledgeBase">The knowledge base searched, named when nothing was found.</param>
    /// <param name="task">The node's input.</param>
    /// <param name="chunks">The chunks, best first.</param>
    public static string Compose(string knowledgeBase, string task, IReadOnlyList<RetrievedChunk> chunks)
    {
        ArgumentNullException.ThrowIfNull(task);
        ArgumentNullException.ThrowIfNull(chunks);
        var text = new StringBuilder();
        if (chunks.Count == 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"Knowledge base '{knowledgeBase}' holds nothing relevant to this task.\n\nTask:\n{task}\n\n");
            text.Append("Say that the knowledge base has no source for this, rather than answering from memory.");
            return text.ToString();
        }

        text.Append("Sources:\n");
        for (var i = 0; i < chunks.Count; i++)
        {
            var chunk = chunks[i];
            // Positions are 0-based in the index; people count chunks from 1.
            text.Append(CultureInfo.InvariantCulture, $"[{i + 1}] {chunk.Source ?? chunk.DocumentId}, chunk {chunk.Position + 1}:\n{chunk.Text.Trim()}\n\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"Task:\n{task}\n\n{CiteInstruction}");
        return text.ToString();
    }
}
