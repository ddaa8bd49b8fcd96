using System.Text.Json;
using MeshFlow.Api.Apis;
using MeshFlow.Api.Security;
using MeshFlow.Execution;
using MeshFlow.Governance.Identity;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MeshFlow.Api.Governance;

/// <summary><c>GET /agents</c> and <c>POST /admin/agents/{did}/revoke</c>: the tenant's agent identities.</summary>
public static class AgentEndpoints
{
    /// <summary>Maps the agent routes.</summary>
    public static IEndpointRouteBuilder MapAgentEndpoints(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/agents", ListAsync).WithTags("Governance").WithName("ListAgents")
            .WithSummary("The tenant's agents: each one's did:key, capabilities, and whether it was revoked.");
        app.MapPost("/admin/agents/{did}/revoke", RevokeAsync).WithTags("Governance").WithName("RevokeAgent")
            .WithSummary("Revokes an agent (admin keys; a reason is required): its next step, on any worker, is blocked with 'identity'.")
            .RequireAuthorization(MeshFlowClaims.AdminPolicy)
            .Accepts<RevokeAgentRequest>("application/json").ProducesProblem(StatusCodes.Status400BadRequest).ProducesProblem(StatusCodes.Status404NotFound);
        return app;
    }

    /// <summary><c>GET /agents</c>.</summary>
    public static async Task<Ok<AgentList>> ListAsync(HttpContext context, MeshFlowEngine engine, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(engine);
        var agents = await engine.Agents.Store.ListAgentsAsync(context.User.GetTenantId(), cancellationToken);
        return TypedResults.Ok(new AgentList([.. agents.Select(AgentView.Of)]));
    }

    /// <summary><c>POST /admin/agents/{did}/revoke</c> with <c>{"reason": "..."}</c>.</summary>
    public static async Task<Results<Ok<AgentView>, ProblemHttpResult>> RevokeAsync(string did, HttpContext context, MeshFlowEngine engine,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(engine);
        if (!DidKey.TryParse(did, out _, out var error))
        {
            return ApiProblems.BadRequest("did", $"'{did}' is not an agent's DID: {error}");
        }

        var (reason, problem) = await ReadReasonAsync(context.Request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var revoked = await engine.Agents.Store.RevokeAgentAsync(context.User.GetTenantId(), did, reason!, engine.TimeProvider.GetUtcNow(), cancellationToken);
        return revoked is null
            ? TypedResults.Problem(title: "Agent not found", detail: $"no agent '{did}' exists", statusCode: StatusCodes.Status404NotFound)
            : TypedResults.Ok(AgentView.Of(revoked));
    }

    private static async Task<(string? Reason, ProblemHttpResult? Problem)> ReadReasonAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var (document, bodyProblem) = await JsonBody.ReadAsync(request, cancellationToken);
        if (document is null)
        {
            return (null, bodyProblem);
        }

        using (document)
        {
            var body = document.RootElement;
            if (body.ValueKind != JsonValueKind.Object)
            {
                return (null, ApiProblems.BadRequest("body", "the body must be a JSON object such as {\"reason\": \"key leaked\"}"));
            }

            foreach (var property in body.EnumerateObject())
            {
                if (property.Name != "reason")
                {
                    return (null, ApiProblems.BadRequest(property.Name, $"unknown field '{property.Name}' (expected reason)"));
                }
            }

            return body.TryGetProperty("reason", out var reason) && reason.ValueKind == JsonValueKind.String
                && reason.GetString()!.Trim() is { Length: > 0 and <= 1000 } text
                ? (text, null)
                : (null, ApiProblems.BadRequest("reason", "'reason' is required: why the agent is revoked, 1 to 1,000 characters"));
        }
    }
}
