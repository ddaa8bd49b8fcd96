namespace MeshFlow.Retrieval.Vectors;

/// <summary>What changed in a durable collection after a version.</summary>
/// <param name="Upserts">The entries written since, as they are now.</param>
/// <param name="Deletes">The keys deleted since.</param>
/// <param name="Version">The highest version among the rows read (the version asked for when there were none).</param>
public sealed record VectorChanges(IReadOnlyList<VectorEntry> Upserts, IReadOnlyList<string> Deletes, long Version);
