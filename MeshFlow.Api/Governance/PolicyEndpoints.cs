using MeshFlow.Api.Apis;
using MeshFlow.Api.Approvals;
using MeshFlow.Api.Security;
using MeshFlow.Execution;
using MeshFlow.Governance;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MeshFlow.Api.Governance;

/// <summary><c>GET /policies</c> and <c>GET|PUT /admin/tenants/{tenant}/policy</c>: the presets, and a tenant's default and ceiling.</summary>
public static class PolicyEndpoints
{
    /// <summary>Maps the policy routes.</summary>
    public static IEndpointRouteBuilder MapPolicyEndpoints(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGet("/policies", Presets).WithTags("Governance").WithName("ListPolicies")
            .WithSummary("The policy presets (dev, standard, strict, hipaa): every field's value in each, and what each field means.");
        var tenants = app.MapGroup("/admin/tenants/{tenant}/policy").WithTags("Governance").RequireAuthorization(MeshFlowClaims.AdminPolicy);
        tenants.MapGet("/", GetAsync).WithName("GetTenantPolicy").WithSummary("The tenant's default policy and ceiling (admin keys of the tenant).");
        tenants.MapPut("/", PutAsync).WithName("PutTenantPolicy")
            .WithSummary("Sets the tenant's default policy and ceiling (admin keys of the tenant): runs may tighten the ceiling, never loosen it.")
            .Accepts<TenantPolicy>("application/json").ProducesProblem(StatusCodes.Status400BadRequest);
        return app;
    }

    /// <summary><c>GET /policies</c>.</summary>
    public static Ok<PolicyCatalog> Presets() => TypedResults.Ok(PolicyCatalog.Current);

    /// <summary><c>GET /admin/tenants/{tenant}/policy</c>.</summary>
    public static async Task<Results<Ok<TenantPolicy>, ProblemHttpResult>> GetAsync(string tenant, HttpContext context, TenantPolicies policies,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(policies);
        if (!OwnTenant(context, tenant))
        {
            return TenantNotFound(tenant);
        }

        return TypedResults.Ok(await policies.ReadAsync(tenant, cancellationToken) ?? new TenantPolicy());
    }

    /// <summary><c>PUT /admin/tenants/{tenant}/policy</c> with <c>{"default": ..., "ceiling": ...}</c>.</summary>
    public static async Task<Results<Ok<TenantPolicy>, ProblemHttpResult>> PutAsync(string tenant, HttpContext context, TenantPolicies policies,
        MeshFlowEngine engine, HitlDestinations destinations, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(destinations);
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(policies);
        ArgumentNullException.ThrowIfNull(engine);
        if (!OwnTenant(context, tenant))
        {
            return TenantNotFound(tenant);
        }

        var (document, bodyProblem) = await JsonBody.ReadAsync(context.Request, cancellationToken);
        if (document is null)
        {
            return bodyProblem!;
        }

        using (document)
        {
            var (policy, error) = TenantPolicyReader.Read(document.RootElement, KnownTools(engine));
            if (error is { } problem)
            {
                return ApiProblems.BadRequest(problem.Field, problem.Problem);
            }

            foreach (var (part, hitl) in new[] { ("default.", policy!.Default?.Hitl), ("ceiling.", policy.Ceiling?.Hitl) })
            {
                if (hitl is not null && await destinations.CheckAsync(hitl, tenant, part, cancellationToken) is { } destination)
                {
                    return ApiProblems.BadRequest(destination.Field, destination.Problem);
                }
            }

            await policies.SaveAsync(tenant, policy!, cancellationToken);
            return TypedResults.Ok(policy!);
        }
    }

    /// <summary>The tools a policy may name: the tools this host registers, as its workers do (none is none).</summary>
    internal static IReadOnlyCollection<string> KnownTools(MeshFlowEngine engine) => [.. engine.Tools.Keys];

    // An admin key manages its own tenant; another tenant is answered as missing, as every other route does.
    private static bool OwnTenant(HttpContext context, string tenant) =>
        string.Equals(context.User.GetTenantId(), tenant, StringComparison.Ordinal);

    private static ProblemHttpResult TenantNotFound(string tenant) =>
        TypedResults.Problem(title: "Tenant not found", detail: $"no tenant '{tenant}' exists", statusCode: StatusCodes.Status404NotFound);
}
