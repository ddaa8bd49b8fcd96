using MeshFlow.Api.Apis;
using MeshFlow.Api.Security;
using MeshFlow.Ledger;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MeshFlow.Api.Traces;

/// <summary><c>GET /traces/{run_id}</c>, <c>GET /traces/{run_id}/steps/{step_id}/replay</c>, <c>GET /traces/{run_id}/verify</c>.</summary>
public static class TraceEndpoints
{
    /// <summary>Maps the trace routes.</summary>
    public static IEndpointRouteBuilder MapTraceEndpoints(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var traces = app.MapGroup("/traces/{run_id}").WithTags("Traces");
        traces.MapGet("/", TraceAsync).WithName("GetTrace").WithSummary("Every record of the run's chain, with full, decompressed contents.");
        traces.MapGet("/steps/{step_id}/replay", StepAsync).WithName("GetStep").WithSummary("One step's full input and output, as recorded.");
        traces.MapGet("/verify", VerifyAsync).WithName("VerifyRun")
            .WithSummary("Recomputes the run's hash chain and head signature: valid, or the first bad sequence number and why.");
        return app;
    }

    /// <summary><c>GET /traces/{run_id}</c>.</summary>
    public static async Task<Results<Ok<TraceView>, ProblemHttpResult>> TraceAsync(
        [Microsoft.AspNetCore.Mvc.FromRoute(Name = "run_id")] string runId, HttpContext context, ILedgerStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(store);
        var tenant = context.User.GetTenantId();
        if (await store.ReadRunAsync(tenant, runId, cancellationToken) is not { } summary)
        {
            return ApiProblems.RunNotFound(runId);
        }

        var records = await store.ReadRecordsAsync(tenant, runId, cancellationToken);
        return TypedResults.Ok(new TraceView(runId, summary.Status, summary.Workflow, [.. records.Select(TraceStep.From)]));
    }

    /// <summary><c>GET /traces/{run_id}/steps/{step_id}/replay</c>.</summary>
    public static async Task<Results<Ok<StepReplayView>, ProblemHttpResult>> StepAsync(
        [Microsoft.AspNetCore.Mvc.FromRoute(Name = "run_id")] string runId, [Microsoft.AspNetCore.Mvc.FromRoute(Name = "step_id")] string stepId,
        HttpContext context, ILedgerStore store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(store);
        var tenant = context.User.GetTenantId();
        if (await store.ReadRunAsync(tenant, runId, cancellationToken) is null)
        {
            return ApiProblems.RunNotFound(runId);
        }

        if (await store.ReadStepRecordAsync(tenant, runId, stepId, cancellationToken) is not { } record)
        {
            return TypedResults.Problem(title: "Step not found", detail: $"run '{runId}' has no step '{stepId}' (step ids are node:iteration, such as writer:1)",
                statusCode: StatusCodes.Status404NotFound);
        }

        var step = record.Redacted ? null : LedgerPayloads.ReadStep(record.Payload);
        return TypedResults.Ok(new StepReplayView(runId, stepId, record.Seq, record.NodeId, record.AgentId, step?.InputTask, step?.Output,
            step?.ToolCalls ?? [], step?.Model, step?.Offline ?? false, step?.OutputTruncated ?? false, record.Verdict, record.BlockReason,
            record.TokensInput, record.TokensOutput, record.TokensEstimated, record.CostUsd, record.DurationMs, record.Redacted, record.EntryHash));
    }

    /// <summary><c>GET /traces/{run_id}/verify</c>.</summary>
    public static async Task<Results<Ok<LedgerVerification>, ProblemHttpResult>> VerifyAsync(
        [Microsoft.AspNetCore.Mvc.FromRoute(Name = "run_id")] string runId, HttpContext context, AuditLedger ledger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(ledger);
        var tenant = context.User.GetTenantId();
        if (await ledger.Store.ReadRunAsync(tenant, runId, cancellationToken) is null)
        {
            return ApiProblems.RunNotFound(runId);
        }

        return TypedResults.Ok(await ledger.VerifyAsync(tenant, runId, cancellationToken));
    }
}
