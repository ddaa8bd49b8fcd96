using MeshFlow.Privacy;

namespace MeshFlow.Tests.Privacy;

/// <summary>One labelled text of the corpus: where its identifiers are, and what they are. None: a look-alike.</summary>
internal sealed record PhiSample(string Text, IReadOnlyList<PhiMatch> Labels)
{
    public bool IsLookAlike => Labels.Count == 0;
}
