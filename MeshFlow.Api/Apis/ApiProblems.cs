using MeshFlow.Workflows;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MeshFlow.Api.Apis;

/// <summary>The API's ProblemDetails answers: each names the field and the problem.</summary>
public static class ApiProblems
{
    /// <summary>A 400 naming the field at fault.</summary>
    public static ProblemHttpResult BadRequest(string field, string problem) =>
        TypedResults.Problem(
            title: "The request is invalid",
            detail: problem,
            statusCode: StatusCodes.Status400BadRequest,
            extensions: new Dictionary<string, object?> { ["errors"] = new[] { new WorkflowValidationError(WorkflowErrorCodes.InvalidValue, problem, field) } });

    /// <summary>A 400 listing every problem of an invalid workflow with its line and column.</summary>
    public static ProblemHttpResult InvalidWorkflow(IReadOnlyList<WorkflowValidationError> errors) =>
        TypedResults.Problem(
            title: "The workflow is invalid",
            detail: errors.Count == 1 ? errors[0].ToString() : $"{errors.Count} problems were found",
            statusCode: StatusCodes.Status400BadRequest,
            type: "https://meshflow.dev/problems/invalid-workflow",
            extensions: new Dictionary<string, object?> { ["errors"] = errors });

    /// <summary>The 404 of a run that does not exist for the caller's tenant: the same whether it is missing or another tenant's.</summary>
    public static ProblemHttpResult RunNotFound(string runId) =>
        TypedResults.Problem(title: "Run not found", detail: $"no run '{runId}' exists", statusCode: StatusCodes.Status404NotFound);

    /// <summary>A 409: the request conflicts with the run's state.</summary>
    public static ProblemHttpResult Conflict(string detail) =>
        TypedResults.Problem(title: "Conflict", detail: detail, statusCode: StatusCodes.Status409Conflict);
}
