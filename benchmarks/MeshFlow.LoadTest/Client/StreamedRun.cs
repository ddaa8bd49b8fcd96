namespace MeshFlow.LoadTest.Client;

/// <summary>One run followed to its end, or to what stopped it.</summary>
/// <param name="Sent">When the request was sent (<see cref="System.Diagnostics.Stopwatch"/> ticks).</param>
/// <param name="Headers">When the response headers arrived (ticks).</param>
/// <param name="HttpStatus">The answer's status code; 0 when there was none.</param>
/// <param name="RunId">The run, once the api named it.</param>
/// <param name="End">Its <c>run_end</c>, once read.</param>
/// <param name="Failure">Why no <c>run_end</c> was read: the request or the stream failed (its message), or null.</param>
/// <param name="TimedOut">Nothing ended the stream within <see cref="LoadClient.RunPatience"/>.</param>
internal readonly record struct StreamedRun(long Sent, long Headers, int HttpStatus, string? RunId, EventLine? End, string? Failure = null, bool TimedOut = false)
{
    public bool Completed => End is { Status: "completed" };

    /// <summary>How the run ended for the client: its status, or what went wrong, in a few words that group well.</summary>
    public string Outcome =>
        End is { } end ? end.Status ?? "run_end without status"
        : Failure is { } failure ? failure
        : HttpStatus is < 200 or > 299 ? $"HTTP {HttpStatus}"
        : TimedOut ? $"no run_end within {LoadClient.RunPatience.TotalSeconds:0} s"
        : "stream closed without run_end";

    /// <summary>Whether the api answered but the run's end never reached the client (worth asking the ledger why).</summary>
    public bool Lost => End is null && RunId is not null;
}
