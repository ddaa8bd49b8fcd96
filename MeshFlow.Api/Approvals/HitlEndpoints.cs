using System.Globalization;
using MeshFlow.Api.Apis;
using MeshFlow.Api.Security;
using MeshFlow.Approvals;
using MeshFlow.Ledger;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MeshFlow.Api.Approvals;

/// <summary>
/// Human approval: <c>GET /hitl/pending</c>, <c>POST /hitl/{run_id}/approve</c>, <c>POST /hitl/{run_id}/reject</c> and
/// <c>GET /hitl/{run_id}/deliveries</c>. Deciding needs a <c>reviewer</c> (or <c>admin</c>) key.
/// </summary>
public static class HitlEndpoints
{
    /// <summary>The most pauses one <c>GET /hitl/pending</c> answers.</summary>
    public const int MaxPending = 500;

    /// <summary>Maps the approval routes.</summary>
    public static IEndpointRouteBuilder MapHitlEndpoints(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var hitl = app.MapGroup("/hitl").WithTags("Approvals");
        hitl.MapGet("/pending", PendingAsync).WithName("ListPendingApprovals")
            .WithSummary("The tenant's paused runs, oldest first: reason, tier, context, age and deadline.");
        hitl.MapPost("/{runId}/approve", (string runId, string? pause, HttpContext context, ApprovalDesk desk, CancellationToken token) =>
                DecideAsync(runId, pause, ApprovalState.Approved, context, desk, token))
            .WithName("ApproveRun").WithSummary("Approves the run's paused step (reviewer keys): any worker resumes the run from it.")
            .RequireAuthorization(MeshFlowClaims.ReviewerPolicy).Accepts<DecisionRequest>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        hitl.MapPost("/{runId}/reject", (string runId, string? pause, HttpContext context, ApprovalDesk desk, CancellationToken token) =>
                DecideAsync(runId, pause, ApprovalState.Rejected, context, desk, token))
            .WithName("RejectRun").WithSummary("Rejects the run's paused step (reviewer keys): the run ends blocked with reason hitl_rejected.")
            .RequireAuthorization(MeshFlowClaims.ReviewerPolicy).Accepts<DecisionRequest>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound).ProducesProblem(StatusCodes.Status409Conflict);
        hitl.MapGet("/{runId}/deliveries", DeliveriesAsync).WithName("ListApprovalDeliveries")
            .WithSummary("Every webhook notification of the run's pauses and each delivery attempt's outcome.")
            .ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    /// <summary><c>GET /hitl/pending?limit=</c>.</summary>
    public static async Task<Results<Ok<PendingList>, ProblemHttpResult>> PendingAsync(HttpContext context, ApprovalDesk desk, string? limit,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(desk);
        var count = 100;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out count) || count is < 1 or > MaxPending))
        {
            return ApiProblems.BadRequest("limit", $"'limit' must be a whole number from 1 to {MaxPending}");
        }

        var pending = await desk.Store.ListPendingAsync(context.User.GetTenantId(), count, cancellationToken);
        var now = desk.TimeProvider.GetUtcNow();
        return TypedResults.Ok(new PendingList([.. pending.Select(p => PauseView.Of(p, now, desk.PublicUrl))]));
    }

    /// <summary>
    /// <c>POST /hitl/{run_id}/approve</c> or <c>/reject</c> with <c>{"reviewer_id", "notes"}</c>; <c>?pause=</c> (as the
    /// pause's links carry it) names the pause meant, so a late decision never lands on a later pause.
    /// </summary>
    public static async Task<Results<Ok<DecisionView>, ProblemHttpResult>> DecideAsync(string runId, string? pause, string decision, HttpContext context,
        ApprovalDesk desk, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(desk);
        long? pauseSeq = null;
        if (pause is not null)
        {
            if (!long.TryParse(pause, NumberStyles.None, CultureInfo.InvariantCulture, out var seq) || seq < 1)
            {
                return ApiProblems.BadRequest("pause", "'pause' must be the pause's sequence number (pause_seq), a whole number from 1");
            }

            pauseSeq = seq;
        }

        var (request, problem) = await DecisionRequestReader.ReadAsync(context.Request, cancellationToken);
        if (request is null)
        {
            return problem!;
        }

        var outcome = await desk.DecideAsync(context.User.GetTenantId(), runId, decision, request.ReviewerId, request.Notes, pauseSeq,
            context.User.GetKeyId(), cancellationToken);
        var now = desk.TimeProvider.GetUtcNow();
        return outcome switch
        {
            { Kind: ApprovalOutcomeKind.Decided, Pause: { } decided } => TypedResults.Ok(new DecisionView(runId, decided.State, decided.ReviewerId!,
                decided.DecidedAt!.Value, decided.DecidedAt <= decided.ExpiresAt, PauseView.Of(decided, now, desk.PublicUrl))),
            { Kind: ApprovalOutcomeKind.AlreadyDecided, Pause: { } won } => TypedResults.Problem(
                title: "Already decided",
                detail: won.State == ApprovalState.Pending
                    ? $"pause {pauseSeq} of run '{runId}' is not pending (it was decided, or never was); the run now waits on pause {won.PauseSeq} (step '{won.StepId}'): decide that one"
                    : $"the pause of run '{runId}' was already {won.State} by '{won.ReviewerId}' at {won.DecidedAt:O}",
                statusCode: StatusCodes.Status409Conflict,
                extensions: new Dictionary<string, object?> { ["decision"] = won.State, ["reviewer_id"] = won.ReviewerId, ["decided_at"] = won.DecidedAt }),
            { Kind: ApprovalOutcomeKind.NotPaused } => ApiProblems.Conflict($"run '{runId}' is {outcome.RunStatus}, not paused: there is nothing to decide"),
            _ => ApiProblems.RunNotFound(runId),
        };
    }

    /// <summary><c>GET /hitl/{run_id}/deliveries</c>.</summary>
    public static async Task<Results<Ok<DeliveryList>, ProblemHttpResult>> DeliveriesAsync(string runId, HttpContext context, ApprovalDesk desk,
        ILedgerStore ledger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(desk);
        ArgumentNullException.ThrowIfNull(ledger);
        var tenant = context.User.GetTenantId();
        if (await ledger.ReadRunAsync(tenant, runId, cancellationToken) is null)
        {
            return ApiProblems.RunNotFound(runId);
        }

        var messages = await desk.Store.ListWebhooksAsync(tenant, runId, cancellationToken);
        var attempts = (await desk.Store.ListWebhookAttemptsAsync(tenant, runId, cancellationToken)).ToLookup(a => a.MessageId, StringComparer.Ordinal);
        return TypedResults.Ok(new DeliveryList(runId, [.. messages.Select(m => new DeliveryView(m.Id, m.Type, m.Url, m.State, m.CreatedAt,
            m.State == WebhookMessageState.Pending ? m.NextAttemptAt : null, m.Deadline,
            [.. attempts[m.Id].OrderBy(a => a.Attempt).Select(a => new AttemptView(a.Attempt, a.At, a.StatusCode, a.Outcome, a.Error, a.DurationMs))]))]));
    }
}
