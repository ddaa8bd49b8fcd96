using System.Text.Json;
using MeshFlow.Declarative;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MeshFlow.Api.Apis;

public static class WorkflowEndpoints
{
    private static readonly string[] YamlMediaTypes = ["application/yaml", "application/x-yaml", "text/yaml", "text/plain"];

    public static IEndpointRouteBuilder MapWorkflowEndpoints(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);

        app.MapGroup("/workflows")
            .WithTags("Workflows")
            .MapPost("/validate", ValidateAsync)
            .WithName("ValidateWorkflow")
            .WithSummary("Validates a workflow definition (YAML or JSON) and reports every problem with its line and column.")
            .Accepts<ValidateWorkflowRequest>("application/json", "application/yaml", "text/plain")
            .ProducesValidationProblem();

        return app;
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
            using var reader = new StreamReader(request.Body);
            return (await reader.ReadToEndAsync(cancellationToken), null);
        }

        // Other media types never reach here: the endpoint's Accepts metadata answers them 415.
        ValidateWorkflowRequest? body;
        try
        {
            body = await JsonSerializer.DeserializeAsync<ValidateWorkflowRequest>(request.Body, JsonSerializerOptions.Web, cancellationToken);
        }
        catch (JsonException ex)
        {
            return (null, BadRequest("body", $"the body is not valid JSON: {ex.Message}"));
        }

        return body switch
        {
            { Yaml: { Length: > 0 } yaml, Workflow: null } => (yaml, null),
            { Yaml: null, Workflow: { ValueKind: JsonValueKind.Object } workflow } => (workflow.GetRawText(), null),
            { Yaml: not null, Workflow: not null } => (null, BadRequest("yaml", "send either 'yaml' or 'workflow', not both")),
            { Workflow: { } other } when other.ValueKind != JsonValueKind.Object => (null, BadRequest("workflow", "'workflow' must be a JSON object")),
            _ => (null, BadRequest("yaml", "the body needs 'yaml' (the definition as YAML text) or 'workflow' (the definition as a JSON object)")),
        };
    }

    private static ProblemHttpResult BadRequest(string field, string problem) => ApiProblems.BadRequest(field, problem);
}
