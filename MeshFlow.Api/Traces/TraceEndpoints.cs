using MeshFlow.Api.Apis;
using MeshFlow.Api.Security;
using MeshFlow.Ledger;
using MeshFlow.Ledger.Evidence;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MeshFlow.Api.Traces;

/// <summary>
/// <c>GET /traces/{run_id}</c>, <c>GET /traces/{run_id}/steps/{step_id}/replay</c>, <c>GET /traces/{run_id}/verify</c>,
/// <c>GET /traces/{run_id}/export</c>, and <c>GET /ledger/keys</c> (the public keys a bundle's verifier pins).
/// </summary>
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
        traces.MapGet("/export", ExportAsync).WithName("ExportRunEvidence")
            .WithSummary("The run's evidence bundle (meshflow-evidence/1, docs/evidence.md): every record's hashed header, entry hash and payload "
                + "(none with hashes_only=true), the signed head and its public key, to verify offline.");
        app.MapGet("/ledger/keys", KeysAsync).WithTags("Traces").WithName("GetLedgerKeys")
            .WithSummary("The public Ed25519 keys run heads are signed with (base64 of the raw 32 bytes, by key id), for a verifier to pin.");
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
            record.TokensInput, record.TokensOutput, record.TokensEstimated, record.CostUsd, record.DurationMs, record.Redacted, record.EntryHash)
        {
            RetrievedChunks = step?.RetrievedChunks,
        });
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

    /// <summary><c>GET /traces/{run_id}/export</c>: the run's evidence bundle; <c>?hashes_only=true</c> leaves every payload out.</summary>
    public static async Task<Results<Ok<EvidenceBundle>, ProblemHttpResult>> ExportAsync(
        [Microsoft.AspNetCore.Mvc.FromRoute(Name = "run_id")] string runId, [Microsoft.AspNetCore.Mvc.FromQuery(Name = "hashes_only")] bool? hashesOnly,
        HttpContext context, AuditLedger ledger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(ledger);
        var bundle = await EvidenceBundles.CreateAsync(ledger.Store, context.User.GetTenantId(), runId, includePayloads: hashesOnly != true,
            ledger.TimeProvider, cancellationToken);
        return bundle is null ? ApiProblems.RunNotFound(runId) : TypedResults.Ok(bundle);
    }

    /// <summary><c>GET /ledger/keys</c>: the key heads are signed with now, and every key the caller's tenant has heads signed with.</summary>
    public static async Task<Ok<LedgerKeysView>> KeysAsync(HttpContext context, AuditLedger ledger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(ledger);
        var stored = await ledger.Store.ReadPublicKeysAsync(context.User.GetTenantId(), cancellationToken);
        var keys = new SortedDictionary<string, string>(StringComparer.Ordinal) { [ledger.Signer.KeyId] = Convert.ToBase64String(ledger.Signer.PublicKey) };
        foreach (var (keyId, key) in stored)
        {
            keys[keyId] = Convert.ToBase64String(key);
        }

        return TypedResults.Ok(new LedgerKeysView(ledger.Signer.KeyId, keys));
    }
}
