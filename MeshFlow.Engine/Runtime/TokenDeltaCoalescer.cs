using System.Text;
using MeshFlow.Events;

namespace MeshFlow.Runtime;

/// <summary>
/// Merges consecutive token deltas of the same step that are ready at the same time into one delta. A relay that
/// fell behind its producer (a zero-latency model, a busy machine) then sends one message instead of many; a relay
/// that keeps up sends every chunk as it arrives. The merged text is the concatenation, so the deltas of a step still
/// add up to its output, and every delta still precedes its step's <c>step_end</c>.
/// </summary>
public static class TokenDeltaCoalescer
{
    /// <summary>The batch with consecutive deltas of one step merged (keeping the first one's timestamp), in order.</summary>
    public static IReadOnlyList<MeshEvent> Coalesce(IReadOnlyList<MeshEvent> batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        List<MeshEvent>? merged = null;
        for (var i = 0; i < batch.Count; i++)
        {
            if (batch[i] is not TokenDeltaEvent first || i + 1 >= batch.Count || !SameStep(first, batch[i + 1]))
            {
                merged?.Add(batch[i]);
                continue;
            }

            merged ??= [.. batch.Take(i)];
            var text = new StringBuilder(first.Text);
            while (i + 1 < batch.Count && SameStep(first, batch[i + 1]))
            {
                text.Append(((TokenDeltaEvent)batch[++i]).Text);
            }

            merged.Add(first with { Text = text.ToString() });
        }

        return merged ?? batch;
    }

    private static bool SameStep(TokenDeltaEvent first, MeshEvent next) =>
        next is TokenDeltaEvent delta && string.Equals(delta.StepId, first.StepId, StringComparison.Ordinal);
}
