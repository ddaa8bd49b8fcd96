namespace MeshFlow.Runtime;

/// <summary>The answer to a submission.</summary>
/// <param name="RunId">The run's id.</param>
/// <param name="Status">The run's status now (<c>queued</c> for a new run).</param>
/// <param name="Created">False when an earlier submission with the same idempotency key had started the run.</param>
public sealed record SubmittedRun(string RunId, string Status, bool Created);
