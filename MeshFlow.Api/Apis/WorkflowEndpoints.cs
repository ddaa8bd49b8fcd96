using System.Text.Json;
using MeshFlow.Api.Runs;
using MeshFlow.Declarative;
using MeshFlow.Execution;
using MeshFlow.Workflows;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MeshFlow.Api.Apis;

public static class WorkflowEndpoints
{
    private static readonly string[] YamlMediaTypes = ["application/yaml", "application/x-yaml", "text/yaml", "text/plain"];

    public static IEndpointRouteBuilder MapWorkflowEndpoints(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);

        var workflows = app.MapGroup("/workflows").WithTags("Workflows");
        workflows.MapGet("/", List)
            .WithName("ListWorkflows")
            .WithSummary("The registered workflows a run can name: name, description, node count, where each comes from, and whether it can run here.");
        workflows.MapPost("/validate", ValidateAsync)
            .WithName("ValidateWorkflow")
            .WithSummary("Validates a workflow definition (YAML or JSON) and reports every problem with its line and column.")
            .Accepts<ValidateWorkflowRequest>("application/json", "application/yaml", "text/plain")
            .ProducesValidationProblem();

        return app;
    }

    /// <summary><c>GET /workflows</c>.</summary>
    public static Ok<WorkflowList> List(WorkflowRegistry registry, MeshFlowEngine engine)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(engine);
        return TypedResults.Ok(new WorkflowList([.. registry.Workflows.Select(registered =>
        {
            var workflow = registered.Workflow;
            var problem = workflow.Nodes.OfType<AgentNode>().Select(node => engine.Models.Problem(node, workflow.Policy)).FirstOrDefault(p => p is not null);
            return new WorkflowListItem(registered.Name, registered.Description, workflow.Nodes.Count, registered.Source, registered.File,
                Runnable: problem is null, problem);
        })]));
    }

    public static async Task<Results<Ok<ValidationResponse>, ProblemHttpResult>> ValidateAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (text, problem) = await ReadDefinitionAsync(request, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var result = WorkflowYaml.Validate(text!);
        if (!result.IsValid)
        {
            return ApiProblems.InvalidWorkflow(result.Errors);
        }

        var workflow = result.Workflow!;
        return TypedResults.Ok(new ValidationResponse(
            Valid: true,
            Name: workflow.Name,
            Policy: workflow.Policy.Mode,
            Nodes: [.. workflow.Nodes.Select(n => n.Id)],
            Edges: workflow.Edges.Count,
            LoopEdges: workflow.Edges.Count(e => e.IsLoop)));
    }

    private static async Task<(string? Text, ProblemHttpResult? Problem)> ReadDefinitionAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var mediaType = request.ContentType?.Split(';')[0].Trim().ToLowerInvariant();
        if (mediaType is not null && YamlMediaTypes.Contains(mediaType))
        {
            return await Utf8Body.ReadTextAsync(request, cancellationToken);
        }

        // Other media types never reach here: the endpoint's Accepts metadata answers them 415.
        var (document, problem) = await JsonBody.ParseAsync(request, cancellationToken);
        if (document is null)
        {
            return (null, problem);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, BadRequest("body", "the body must be a JSON object with 'yaml' (the definition as YAML text) or 'workflow' (the definition as a JSON object)"));
            }

            var yaml = Field(document.RootElement, "yaml");
            var workflow = Field(document.RootElement, "workflow");
            return (yaml, workflow) switch
            {
                ({ ValueKind: JsonValueKind.String } text, null) when text.GetString() is { Length: > 0 } definition => (definition, null),
                (null, { ValueKind: JsonValueKind.Object } definition) => (definition.GetRawText(), null),
                (not null, not null) => (null, BadRequest("yaml", "send either 'yaml' or 'workflow', not both")),
                (null, not null) => (null, BadRequest("workflow", "'workflow' must be a JSON object")),
                ({ ValueKind: not JsonValueKind.String }, null) => (null, BadRequest("yaml", "'yaml' must be the definition as YAML text")),
                _ => (null, BadRequest("yaml", "the body needs 'yaml' (the definition as YAML text) or 'workflow' (the definition as a JSON object)")),
            };
        }
    }

    // A field by its name in any case, as the request record's binding read it; JSON null counts as absent.
    private static JsonElement? Field(JsonElement body, string name)
    {
        foreach (var property in body.EnumerateObject())
        {
            if (property.NameEquals(name) || string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value.ValueKind == JsonValueKind.Null ? null : property.Value;
            }
        }

        return null;
    }

    private static ProblemHttpResult BadRequest(string field, string problem) => ApiProblems.BadRequest(field, problem);
}
