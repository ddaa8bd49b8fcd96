using MeshFlow.Execution;
using MeshFlow.Governance.Risk;
using MeshFlow.Tools.BuiltIn;
using Microsoft.AspNetCore.Http.HttpResults;

namespace MeshFlow.Api.Tools;

/// <summary><c>GET /tools</c>: the tools workflows on this deployment may name, with their schemas, risk tiers and limits.</summary>
/// <remarks>
/// Every key may read it: it is what an author needs to write a workflow, and it holds no tenant data. A tool that
/// declares no tier is listed as <c>high</c>, the tier the risk check gives it.
/// </remarks>
public static class ToolEndpoints
{
    /// <summary>Maps the tool routes.</summary>
    public static IEndpointRouteBuilder MapToolEndpoints(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapGroup("/tools").WithTags("Tools")
            .MapGet("/", List).WithName("ListTools")
            .WithSummary("The tools workflows may name: built-in and registered, with each one's JSON schema, risk tier and limits.");
        return app;
    }

    /// <summary><c>GET /tools</c>.</summary>
    public static Ok<ToolList> List(MeshFlowEngine engine)
    {
        ArgumentNullException.ThrowIfNull(engine);
        var tools = engine.Tools.Values.OrderBy(tool => tool.Name, StringComparer.Ordinal).Select(tool => new ToolView(
            tool.Name, tool.Description, RiskTiers.Name(ToolRisk.DeclaredBy(tool) ?? RiskTier.High), tool is BuiltInTool, tool.JsonSchema)
        {
            TimeoutSeconds = tool is BuiltInTool builtIn ? builtIn.Timeout.TotalSeconds : null,
            MaxOutputChars = (tool as BuiltInTool)?.MaxOutputChars,
        });
        return TypedResults.Ok(new ToolList([.. tools]));
    }
}
