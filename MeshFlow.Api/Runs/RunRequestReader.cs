using System.Globalization;
using System.Text.Json;
using MeshFlow.Declarative;
using MeshFlow.Governance;
using MeshFlow.Runtime;
using MeshFlow.Api.Apis;
using MeshFlow.Api.Approvals;
using MeshFlow.Api.Governance;
using MeshFlow.Execution;
using MeshFlow.Workflows;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MeshFlow.Api.Runs;

/// <summary>
/// Reads the body of <c>POST /runs</c> and <c>POST /stream</c>:
/// <c>{"workflow": "&lt;registered name&gt;" | {definition}, "yaml": "...", "input": string | JSON, "policy": "&lt;mode&gt;" | {overrides}, "metadata": {...}}</c>.
/// Every problem answers a 400 that names its field.
/// </summary>
public sealed class RunRequestReader(WorkflowRegistry registry, MeshFlowEngine engine, TenantPolicies tenantPolicies, HitlDestinations destinations)
{
    private static readonly string[] Fields = ["workflow", "yaml", "input", "policy", "metadata"];

    // Most runs send one of a few definitions (a registered name, or the same text from the same client).
    // Tool names are checked against the tools this host registers: a worker of the same build could run no other.
    private readonly WorkflowCache _workflows = new(options: new WorkflowLoadOptions { Tools = engine.Tools });

    /// <summary>The submission the request describes, or the problem that answers it.</summary>
    public async Task<(RunSubmission? Submission, ProblemHttpResult? Problem)> ReadAsync(HttpRequest request, string tenantId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (document, bodyProblem) = await JsonBody.ReadAsync(request, cancellationToken);
        if (document is null)
        {
            return (null, bodyProblem);
        }

        using (document)
        {
            var tenantPolicy = await tenantPolicies.ReadAsync(tenantId, cancellationToken);
            var (submission, problem) = Read(document.RootElement, tenantId, request.Headers["Idempotency-Key"].ToString(), tenantPolicy);
            if (submission?.Policy is { } hitlPolicy
                && await destinations.CheckAsync(hitlPolicy.Hitl, tenantId, "policy.", cancellationToken) is { } destination)
            {
                return (null, ApiProblems.BadRequest(destination.Field, destination.Problem));
            }

            if (submission?.Policy is { MaxDailyCostUsd: > 0 } policy
                && await engine.DailySpend.TodayAsync(tenantId, cancellationToken) is var spent && spent >= policy.MaxDailyCostUsd)
            {
                // The tenant's day is spent: no new run until midnight UTC.
                var now = engine.TimeProvider.GetUtcNow();
                var retryAfter = (int)Math.Ceiling((now.UtcDateTime.Date.AddDays(1) - now.UtcDateTime).TotalSeconds);
                request.HttpContext.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
                return (null, TypedResults.Problem(title: "The tenant's daily budget is spent",
                    detail: string.Create(CultureInfo.InvariantCulture,
                        $"the tenant has spent ${spent} today, its daily budget (max_daily_cost_usd) is ${policy.MaxDailyCostUsd}; new runs may start at midnight UTC"),
                    statusCode: StatusCodes.Status429TooManyRequests,
                    extensions: new Dictionary<string, object?> { ["reason"] = "budget" }));
            }

            return (submission, problem);
        }
    }

    private (RunSubmission?, ProblemHttpResult?) Read(JsonElement body, string tenantId, string idempotencyKey, TenantPolicy? tenantPolicy)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            return Fail("body", "the body must be a JSON object with 'workflow' or 'yaml', and 'input'");
        }

        foreach (var property in body.EnumerateObject())
        {
            if (!Fields.Contains(property.Name, StringComparer.Ordinal))
            {
                return Fail(property.Name, $"unknown field '{property.Name}' (expected {string.Join(", ", Fields)})");
            }
        }

        // The body may nest deeper than these values can be recorded (it has room for a definition sent as JSON).
        foreach (var field in (ReadOnlySpan<string>)["input", "policy", "metadata"])
        {
            if (body.TryGetProperty(field, out var value) && JsonBody.DepthOf(value) is var depth && depth > JsonBody.MaxValueDepth)
            {
                return Fail(field, string.Create(CultureInfo.InvariantCulture,
                    $"'{field}' nests {depth} levels of lists and objects; at most {JsonBody.MaxValueDepth} are allowed"));
            }
        }

        if (idempotencyKey.Length > 200)
        {
            return Fail("Idempotency-Key", "the Idempotency-Key header must be at most 200 characters");
        }

        var (definition, problem) = ReadDefinition(body);
        if (problem is not null)
        {
            return (null, problem);
        }

        var validation = _workflows.Validate(definition!);
        if (!validation.IsValid)
        {
            return (null, ApiProblems.InvalidWorkflow(validation.Errors));
        }

        var workflow = validation.Workflow!;
        string input;
        switch (body.TryGetProperty("input", out var inputElement) ? inputElement.ValueKind : JsonValueKind.Undefined)
        {
            case JsonValueKind.Undefined or JsonValueKind.Null:
                return Fail("input", "'input' is required: the text (or JSON value) the run starts from");
            case JsonValueKind.String:
                input = inputElement.GetString()!;
                break;
            default:
                input = inputElement.GetRawText();
                break;
        }

        // The run's policy: what the request asks, over the tenant's default (else the workflow's own), held to the
        // tenant's ceiling. What the request or the workflow's author wrote looser than the ceiling is refused; what a
        // mode brings is tightened.
        // A workflow that declares no policy of its own runs under the tenant's
        // default; one that declares a policy keeps it, so a tenant default never loosens what an author asked for.
        var useDefault = tenantPolicy?.Default is not null && !workflow.PolicyDeclared;
        var basePolicy = useDefault ? tenantPolicy!.Default! : workflow.Policy;
        var policy = basePolicy;
        var explicitFields = new HashSet<string>(useDefault ? [] : PolicyFields.DifferingFromMode(workflow.Policy), StringComparer.Ordinal);
        if (body.TryGetProperty("policy", out var policyElement) && policyElement.ValueKind != JsonValueKind.Null)
        {
            var read = ReadPolicy(policyElement, basePolicy, PolicyEndpoints.KnownTools(engine));
            if (read.Error is { } error)
            {
                return Fail(error.Field, error.Problem);
            }

            policy = read.Policy!;
            explicitFields.UnionWith(read.ExplicitFields);
        }

        if (tenantPolicy?.Ceiling is { } ceiling)
        {
            var held = PolicyCeiling.Apply(policy, explicitFields, ceiling);
            if (held.Error is { } refused)
            {
                return Fail(refused.Field.StartsWith("policy.", StringComparison.Ordinal) ? refused.Field : "policy." + refused.Field, refused.Problem);
            }

            policy = held.Policy!;
        }

        // A model this deployment cannot call, or cannot price under a dollar budget, is refused before the run is queued.
        foreach (var node in workflow.Nodes)
        {
            if (node is AgentNode agent && engine.Models.Problem(agent, policy) is { } modelProblem)
            {
                return Fail("workflow", modelProblem);
            }
        }

        JsonElement? metadata = null;
        if (body.TryGetProperty("metadata", out var metadataElement) && metadataElement.ValueKind != JsonValueKind.Null)
        {
            if (metadataElement.ValueKind != JsonValueKind.Object)
            {
                return Fail("metadata", "'metadata' must be a JSON object");
            }

            metadata = metadataElement.Clone();
        }

        return (new RunSubmission
        {
            TenantId = tenantId, Workflow = workflow, Definition = definition!, Input = input, Policy = policy, Metadata = metadata,
            IdempotencyKey = idempotencyKey.Length > 0 ? idempotencyKey : null,
        }, null);
    }

    private (string? Definition, ProblemHttpResult? Problem) ReadDefinition(JsonElement body)
    {
        var hasWorkflow = body.TryGetProperty("workflow", out var workflow) && workflow.ValueKind != JsonValueKind.Null;
        var hasYaml = body.TryGetProperty("yaml", out var yaml) && yaml.ValueKind != JsonValueKind.Null;
        switch (hasWorkflow, hasYaml)
        {
            case (true, true):
                return (null, ApiProblems.BadRequest("yaml", "send either 'workflow' or 'yaml', not both"));
            case (false, false):
                return (null, ApiProblems.BadRequest("workflow",
                    "the body needs 'workflow' (a registered workflow's name, or a definition as a JSON object) or 'yaml' (a definition as YAML text)"));
            case (false, true) when yaml.ValueKind != JsonValueKind.String || yaml.GetString()!.Length == 0:
                return (null, ApiProblems.BadRequest("yaml", "'yaml' must be the workflow's definition as YAML text"));
            case (false, true):
                return (yaml.GetString(), null);
        }

        switch (workflow.ValueKind)
        {
            case JsonValueKind.Object:
                return (workflow.GetRawText(), null);
            case JsonValueKind.String when registry.TryGet(workflow.GetString()!, out var registered):
                return (registered, null);
            case JsonValueKind.String:
                var known = registry.Names.Count == 0 ? "no workflows are registered" : "registered: " + string.Join(", ", registry.Names);
                return (null, ApiProblems.BadRequest("workflow", $"unknown workflow '{workflow.GetString()}' ({known})"));
            default:
                return (null, ApiProblems.BadRequest("workflow", "'workflow' must be a registered workflow's name or a definition as a JSON object"));
        }
    }

    /// <summary>A policy: a mode name, or an object of overrides on a mode (the workflow's own when it names none).</summary>
    public static (Policy? Policy, (string Field, string Problem)? Error) ReadPolicy(JsonElement element, Policy workflowPolicy)
    {
        var read = ReadPolicy(element, workflowPolicy, knownTools: null);
        return (read.Policy, read.Error);
    }

    /// <summary>
    /// A policy read through the one field table (<see cref="PolicyFields"/>), with the fields the request set
    /// itself (which a tenant's ceiling refuses rather than tightens) and, when <paramref name="knownTools"/> is
    /// given, the tool names checked.
    /// </summary>
    public static PolicyReadResult ReadPolicy(JsonElement element, Policy workflowPolicy, IReadOnlyCollection<string>? knownTools)
    {
        ArgumentNullException.ThrowIfNull(workflowPolicy);
        return PolicyJsonReader.Read(element, workflowPolicy, knownTools);
    }

    private static (RunSubmission?, ProblemHttpResult?) Fail(string field, string problem) => (null, ApiProblems.BadRequest(field, problem));
}
