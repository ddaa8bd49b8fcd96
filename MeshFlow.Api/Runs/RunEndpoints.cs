using System.Globalization;
using MeshFlow.Api.Apis;
using MeshFlow.Approvals;
using MeshFlow.Api.Security;
using MeshFlow.Ledger;
using MeshFlow.Runtime;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MeshFlow.Api.Runs;

/// <summary><c>POST /runs</c>, <c>GET /runs</c>, <c>GET /runs/{id}</c>, <c>POST /runs/{id}/cancel</c>.</summary>
public static class RunEndpoints
{
    /// <summary>Maps the run routes.</summary>
    public static IEndpointRouteBuilder MapRunEndpoints(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var runs = app.MapGroup("/runs").WithTags("Runs");
        runs.MapPost("/", StartAsync).WithName("StartRun")
            .WithSummary("Starts a run: records it (queued) and puts it on the queue. An Idempotency-Key header makes retries safe.")
            .Accepts<object>("application/json").ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        runs.MapGet("/", ListAsync).WithName("ListRuns")
            .WithSummary("Lists the tenant's runs, newest first, each with its steps, tokens, cost_usd and duration_ms (updated_at - "
                + "created_at once the run has ended, null while it is queued, running or paused); filter by status, workflow and "
                + "creation time; page with the cursor.");
        runs.MapGet("/{id}", GetAsync).WithName("GetRun").WithSummary("A run's status, totals and output.");
        runs.MapPost("/{id}/cancel", CancelAsync).WithName("CancelRun").WithSummary("Asks the run to stop; it ends 'cancelled'.");
        return app;
    }

    /// <summary><c>POST /runs</c>.</summary>
    public static async Task<Results<Accepted<RunAccepted>, ProblemHttpResult>> StartAsync(
        HttpContext context, RunRequestReader reader, RunSubmitter submitter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(submitter);
        var (submission, problem) = await reader.ReadAsync(context.Request, context.User.GetTenantId(), cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var (submitted, conflict) = await SubmitAsync(submitter, submission!, cancellationToken);
        if (conflict is not null)
        {
            return conflict;
        }

        if (!submitted!.Created)
        {
            context.Response.Headers["Idempotent-Replayed"] = "true";
        }

        return TypedResults.Accepted($"/runs/{submitted.RunId}", new RunAccepted(submitted.RunId, submitted.Status, RunLinks.For(submitted.RunId)));
    }

    /// <summary>Submits a run; an idempotency key reused for another request answers 422.</summary>
    public static async Task<(SubmittedRun? Run, ProblemHttpResult? Problem)> SubmitAsync(RunSubmitter submitter, RunSubmission submission,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(submitter);
        try
        {
            return (await submitter.SubmitAsync(submission, cancellationToken), null);
        }
        catch (IdempotencyConflictException ex)
        {
            return (null, TypedResults.Problem(title: "The Idempotency-Key was already used", detail: ex.Message,
                statusCode: StatusCodes.Status422UnprocessableEntity,
                extensions: new Dictionary<string, object?> { ["errors"] = new[] { new { code = "idempotency_conflict", message = ex.Message, path = "Idempotency-Key" } } }));
        }
    }

    /// <summary><c>GET /runs</c>.</summary>
    public static async Task<Results<Ok<RunList>, ProblemHttpResult>> ListAsync(
        HttpContext context, ILedgerStore store, CancellationToken cancellationToken,
        string? status = null, string? workflow = null,
        [Microsoft.AspNetCore.Mvc.FromQuery(Name = "created_after")] string? createdAfter = null,
        [Microsoft.AspNetCore.Mvc.FromQuery(Name = "created_before")] string? createdBefore = null, string? limit = null, string? cursor = null)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(store);
        var query = new LedgerRunQuery { Status = status, Workflow = workflow, Cursor = string.IsNullOrEmpty(cursor) ? null : cursor };
        if (limit is not null)
        {
            if (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count is < 1 or > 500)
            {
                return ApiProblems.BadRequest("limit", $"'limit' must be a whole number from 1 to 500, not '{limit}'");
            }

            query = query with { Limit = count };
        }

        foreach (var (name, text) in new[] { ("created_after", createdAfter), ("created_before", createdBefore) })
        {
            if (text is null)
            {
                continue;
            }

            if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            {
                return ApiProblems.BadRequest(name, $"'{name}' must be an ISO 8601 timestamp such as 2026-11-25T10:00:00Z, not '{text}'");
            }

            query = name == "created_after" ? query with { CreatedAfter = at } : query with { CreatedBefore = at };
        }

        LedgerRunPage page;
        try
        {
            page = await store.ListRunsAsync(context.User.GetTenantId(), query, cancellationToken);
        }
        catch (FormatException ex)
        {
            return ApiProblems.BadRequest("cursor", $"'cursor' is not a cursor this API issued: {ex.Message}");
        }

        return TypedResults.Ok(new RunList(
            [.. page.Runs.Select(RunListItem.From)], page.NextCursor));
    }

    /// <summary><c>GET /runs/{id}</c>.</summary>
    public static async Task<Results<Ok<RunView>, ProblemHttpResult>> GetAsync(
        string id, HttpContext context, ILedgerStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(store);
        var tenant = context.User.GetTenantId();
        if (await store.ReadRunAsync(tenant, id, cancellationToken) is not { } summary)
        {
            return ApiProblems.RunNotFound(id);
        }

        var records = await store.ReadRecordsAsync(tenant, id, cancellationToken);
        return TypedResults.Ok(RunView.From(summary, records));
    }

    /// <summary><c>POST /runs/{id}/cancel</c>.</summary>
    public static async Task<Results<Accepted<RunCancelling>, ProblemHttpResult>> CancelAsync(
        string id, HttpContext context, ILedgerStore store, IRunSignals signals, ApprovalDesk desk, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(signals);
        ArgumentNullException.ThrowIfNull(desk);
        var tenant = context.User.GetTenantId();
        if (await store.ReadRunAsync(tenant, id, cancellationToken) is not { } summary)
        {
            return ApiProblems.RunNotFound(id);
        }

        if (summary.HasEnded)
        {
            return ApiProblems.Conflict($"run '{id}' already ended ({summary.Status}); there is nothing to cancel");
        }

        await signals.RequestCancelAsync(tenant, id, cancellationToken);

        // Read after the signal: a run that paused meanwhile keeps the signal (a worker clears it only when a run ends).
        if ((await store.ReadRunAsync(tenant, id, cancellationToken))?.Status == "paused")
        {
            // No worker holds a paused run to hear the signal: its pause is closed (recorded as rejected by the
            // cancellation, so no reviewer can approve it afterwards) and the run is queued, where the signal ends it.
            await desk.DecideAsync(tenant, id, ApprovalState.Rejected, ApprovalDesk.CancelReviewer, "the run was cancelled", cancellationToken: cancellationToken);
        }

        return TypedResults.Accepted($"/runs/{id}", new RunCancelling(id, "cancelling"));
    }
}
