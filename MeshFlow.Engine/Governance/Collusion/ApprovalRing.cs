namespace MeshFlow.Governance.Collusion;

/// <summary>
/// Who has rubber-stamped whom in a run: an edge from approver to approved for each agent whose latest review of
/// another approved an unchanged or contentless output. A cycle of edges is a ring. Not thread-safe.
/// </summary>
internal sealed class ApprovalRing
{
    // Edges are bounded by the run's agents squared; past this many, new ones are not kept.
    private const int MaxEdges = 4096;

    private readonly Dictionary<(string Approver, string Approved), Stamp> _edges = [];

    /// <summary>Records a review of <paramref name="approved"/> by <paramref name="approver"/>; returns the ring it closes, if any.</summary>
    /// <param name="approver">The reviewing agent.</param>
    /// <param name="approved">The agent whose output was reviewed.</param>
    /// <param name="rubberStamp">True when the review approved an unchanged or contentless output.</param>
    /// <param name="approvingStep">The reviewing step.</param>
    /// <param name="approvedStep">The reviewed step.</param>
    /// <returns>The ring's edges, starting with this one, or null.</returns>
    public IReadOnlyList<Stamp>? Review(string approver, string approved, bool rubberStamp, string approvingStep, string approvedStep)
    {
        // The latest review decides: an agent that asked for changes, or approved real work, is no longer stamping.
        if (!rubberStamp)
        {
            _edges.Remove((approver, approved));
            return null;
        }

        var stamp = new Stamp(approver, approved, approvingStep, approvedStep);
        if (_edges.Count >= MaxEdges && !_edges.ContainsKey((approver, approved)))
        {
            return null;
        }

        _edges[(approver, approved)] = stamp;
        var path = PathBack(approved, approver);
        return path is null ? null : [stamp, .. path];
    }

    // Breadth first, so the ring reported is the shortest that closes.
    private List<Stamp>? PathBack(string from, string to)
    {
        var byApprover = _edges.Values.ToLookup(e => e.Approver, StringComparer.Ordinal);
        var reachedBy = new Dictionary<string, Stamp>(StringComparer.Ordinal);
        var queue = new Queue<string>([from]);
        while (queue.Count > 0)
        {
            var agent = queue.Dequeue();
            foreach (var edge in byApprover[agent])
            {
                if (edge.Approved == from || reachedBy.ContainsKey(edge.Approved))
                {
                    continue;
                }

                reachedBy[edge.Approved] = edge;
                if (edge.Approved == to)
                {
                    var path = new List<Stamp>();
                    for (var at = to; at != from; at = reachedBy[at].Approver)
                    {
                        path.Add(reachedBy[at]);
                    }

                    path.Reverse();
                    return path;
                }

                queue.Enqueue(edge.Approved);
            }
        }

        return null;
    }

    /// <summary>One rubber stamp: <paramref name="Approver"/>'s step approved <paramref name="Approved"/>'s step.</summary>
    internal sealed record Stamp(string Approver, string Approved, string ApprovingStep, string ApprovedStep);
}
