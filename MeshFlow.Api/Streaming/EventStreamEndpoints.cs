using System.Globalization;
using MeshFlow.Api.Apis;
using MeshFlow.Api.Runs;
using MeshFlow.Api.Security;
using MeshFlow.Ledger;
using MeshFlow.Runtime;

namespace MeshFlow.Api.Streaming;

/// <summary><c>GET /runs/{id}/events</c> (SSE, resumable with <c>Last-Event-ID</c>) and <c>POST /stream</c> (start and stream).</summary>
public static class EventStreamEndpoints
{
    /// <summary>Maps the streaming routes.</summary>
    public static IEndpointRouteBuilder MapEventStreamEndpoints(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/runs/{id}/events", EventsAsync).WithTags("Runs").WithName("RunEvents")
            .WithSummary("The run's events as SSE (NDJSON with Accept: application/x-ndjson); resumes after Last-Event-ID.")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream").ProducesProblem(StatusCodes.Status404NotFound);
        app.MapPost("/stream", StreamAsync).WithTags("Runs").WithName("StreamRun")
            .WithSummary("Starts a run and streams its events in the same response (SSE, or NDJSON when asked).")
            .Accepts<object>("application/json")
            .Produces(StatusCodes.Status200OK, contentType: "text/event-stream").ProducesProblem(StatusCodes.Status400BadRequest);
        return app;
    }

    /// <summary><c>GET /runs/{id}/events</c>.</summary>
    public static async Task<IResult> EventsAsync(string id, HttpContext context, ILedgerStore store, RunEventSource source, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(source);
        var tenant = context.User.GetTenantId();
        var lastEventId = context.Request.Headers["Last-Event-ID"].ToString() is { Length: > 0 } header ? header : context.Request.Query["last_event_id"].ToString();
        long after = 0;
        if (lastEventId.Length > 0 && (!long.TryParse(lastEventId, NumberStyles.None, CultureInfo.InvariantCulture, out after) || after < 0))
        {
            return ApiProblems.BadRequest("Last-Event-ID", $"'Last-Event-ID' must be the sequence number of an event (a whole number), not '{lastEventId}'");
        }

        if (await store.ReadRunAsync(tenant, id, cancellationToken) is null)
        {
            return ApiProblems.RunNotFound(id);
        }

        await EventStreamWriter.WriteAsync(context.Response, source.ReadAsync(tenant, id, after, cancellationToken),
            EventStreamWriter.WantsNdjson(context.Request), cancellationToken);
        return Results.Empty;
    }

    /// <summary><c>POST /stream</c>.</summary>
    public static async Task<IResult> StreamAsync(HttpContext context, RunRequestReader reader, RunSubmitter submitter, RunEventSource source,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(submitter);
        ArgumentNullException.ThrowIfNull(source);
        var tenant = context.User.GetTenantId();
        var (submission, problem) = await reader.ReadAsync(context.Request, tenant, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var (submitted, conflict) = await RunEndpoints.SubmitAsync(submitter, submission!, cancellationToken);
        if (conflict is not null)
        {
            return conflict;
        }

        context.Response.Headers["MeshFlow-Run-Id"] = submitted!.RunId;
        context.Response.Headers.Location = $"/runs/{submitted.RunId}";
        // A retry of an earlier request (Idempotency-Key) may name a run that ended long ago: the ledger tells that one.
        var events = submitted.Created
            ? source.ReadSubmittedAsync(tenant, submitted.RunId, cancellationToken)
            : source.ReadAsync(tenant, submitted.RunId, 0, cancellationToken);
        await EventStreamWriter.WriteAsync(context.Response, events, EventStreamWriter.WantsNdjson(context.Request), cancellationToken);
        return Results.Empty;
    }
}
