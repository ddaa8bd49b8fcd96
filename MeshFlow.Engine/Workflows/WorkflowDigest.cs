using System.Security.Cryptography;
using System.Text.Json;
using System.Text.Json.Nodes;
using MeshFlow.Agents;
using MeshFlow.Approvals;
using MeshFlow.Governance;
using MeshFlow.Governance.Collusion;
using MeshFlow.Governance.Guardian;
using MeshFlow.Governance.Risk;
using MeshFlow.Ledger.Canonical;
using MeshFlow.Memory;
using MeshFlow.Runs;
using MeshFlow.Tools;
using Microsoft.Extensions.AI;

namespace MeshFlow.Workflows;

/// <summary>
/// The SHA-256 of a workflow's canonical definition (nodes, edges, conditions, models, instructions, declared risks,
/// policy), so a record can say exactly which workflow a run executed. Code in function nodes is not part of it: only
/// their ids.
/// </summary>
internal static class WorkflowDigest
{
    public static string Compute(Workflow workflow)
    {
        var definition = new Dictionary<string, object?>
        {
            ["name"] = workflow.Name,
            ["policy"] = Describe(workflow.Policy),
            ["output"] = workflow.OutputNodes,
            ["nodes"] = workflow.Nodes.Select(Describe).ToArray(),
            ["edges"] = workflow.Edges.Select(e => new Dictionary<string, object?>
            {
                ["from"] = e.From,
                ["to"] = e.To,
                ["when"] = e.Condition?.Text,
                ["loop"] = e.IsLoop,
                ["max_iterations"] = e.IsLoop ? e.MaxIterations : null,
            }).ToArray(),
        };
        if (workflow.KnowledgeBases.Count > 0)
        {
            // Only when carried, so the digest of every workflow without knowledge bases is unchanged.
            definition["knowledge_bases"] = workflow.KnowledgeBases.Select(k => new Dictionary<string, object?> { ["name"] = k.Name, ["digest"] = k.Digest }).ToArray();
        }

        return Convert.ToHexStringLower(SHA256.HashData(CanonicalJson.Serialize(definition)));
    }

    private static Dictionary<string, object?> Describe(WorkflowNode node)
    {
        var description = new Dictionary<string, object?> { ["id"] = node.Id, ["kind"] = node.Kind.ToString().ToLowerInvariant(), ["role"] = node.Role };
        if (node.Risk != RiskTier.Low)
        {
            // Written only when raised, so every workflow digested before nodes declared a risk keeps its digest.
            description["risk"] = WireNames.Of(node.Risk);
        }

        switch (node)
        {
            case AgentNode agent:
                description["agent_id"] = agent.AgentId;
                description["instructions"] = agent.Instructions;
                description["model"] = agent.Model;
                if (agent.Provider is not null || agent.FallbackModels.Count > 0)
                {
                    // Only when set, so the digest of a workflow written before providers could be named is unchanged.
                    description["provider"] = agent.Provider;
                    description["fallback_models"] = agent.FallbackModels.ToArray();
                }

                description["responses"] = agent.Responses.Select(Describe).ToArray();
                description["tools"] = agent.Tools.Select(Describe).ToArray();
                description["temperature"] = agent.Temperature;
                description["max_output_tokens"] = agent.MaxOutputTokens;
                if (agent.Memory is { } memory)
                {
                    // Only when set, so the digest of a workflow written before agents had memory is unchanged.
                    description["memory"] = new Dictionary<string, object?> { ["scope"] = MemoryScopes.NameOf(memory.Scope), ["top_k"] = memory.TopK };
                }
                break;
            case ToolNode tool:
                description["tool"] = tool.ToolName;
                description["arguments"] = tool.Arguments;
                break;
            case HumanNode human:
                description["instructions"] = human.Instructions;
                break;
            case RagNode rag:
                description["knowledge"] = rag.KnowledgeBase;
                description["query"] = rag.Query;
                description["top_k"] = rag.TopK;
                description["mode"] = rag.Mode?.ToString().ToLowerInvariant();
                break;
        }

        return description;
    }

    // The hitl part and retry_interrupted_streams are written only when they differ from the default, and guardian and collusion_audit as the switch
    // they were while no other part of them is set, so every workflow digested before policies had these parts keeps
    // its digest (a run resumed or replayed from an older ledger finds the workflow it recorded).
    private static JsonObject Describe(Policy policy)
    {
        var written = JsonSerializer.SerializeToNode(policy)!.AsObject();
        if (policy.Hitl == HitlPolicy.Default)
        {
            written.Remove("hitl");
        }

        if (!policy.RetryInterruptedStreams)
        {
            written.Remove("retry_interrupted_streams");
        }

        if (policy.Guardian == GuardianPolicy.Off || policy.Guardian == GuardianPolicy.On)
        {
            written["guardian"] = policy.Guardian.Enabled;
        }

        if (policy.CollusionAudit == CollusionPolicy.Off || policy.CollusionAudit == CollusionPolicy.On)
        {
            written["collusion_audit"] = policy.CollusionAudit.Enabled;
        }

        return written;
    }

    // A tool is its name, as before schemas were declarable; one the definition declares a schema or description for
    // is written with them, since they are the definition's (the implementation, like a function node's code, is not).
    private static object Describe(AITool tool) => tool is InputSchemaFunction declared
        ? new Dictionary<string, object?> { ["name"] = tool.Name, ["description"] = declared.DeclaredDescription, ["input_schema"] = declared.InputSchema }
        : tool.Name;

    // Text stays a plain string (as before tool calls existed); a tool call is written as a definition writes it.
    private static object Describe(ScriptedResponse response) =>
        response.IsToolCall
            ? new Dictionary<string, object?>
            {
                ["tool_call"] = new Dictionary<string, object?> { ["name"] = response.ToolName, ["arguments"] = response.Arguments },
            }
            : response.Text!;
}
