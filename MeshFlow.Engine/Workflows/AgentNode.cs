using MeshFlow.Agents;
using MeshFlow.Memory;
using Microsoft.Extensions.AI;

namespace MeshFlow.Workflows;

/// <summary>A node that calls a chat model, streaming, with instructions, the run's context and tools.</summary>
public sealed class AgentNode(string id) : WorkflowNode(id)
{
    /// <inheritdoc />
    public override NodeKind Kind => NodeKind.Agent;

    /// <summary>The agent's identity in events and records; defaults to the node id.</summary>
    public string AgentId { get => field ?? Id; init; }

    /// <summary>The system instructions.</summary>
    public string? Instructions { get; init; }

    /// <summary>
    /// The model: <c>offline</c>, <c>scripted</c> (replays <see cref="Responses"/>), a provider model id, or
    /// null for the configured default (the <c>llm</c> connection, else <c>offline</c>).
    /// </summary>
    public string? Model { get; init; }

    /// <summary>
    /// The LLM connection (its name, <c>anthropic</c> for <c>ConnectionStrings:llm-anthropic</c>) or provider kind the
    /// model is asked of; null for the default connection, or the provider a <c>provider/model</c> name gives.
    /// </summary>
    public string? Provider { get; init; }

    /// <summary>
    /// Models tried in order after <see cref="Model"/> when it is refused by its circuit breaker or fails transiently
    /// before its first token (<c>model: [anthropic/claude-sonnet-4-5, openai/gpt-4o-mini]</c>).
    /// </summary>
    public IReadOnlyList<string> FallbackModels { get; init; } = [];

    /// <summary>
    /// What the <c>scripted</c> model answers, one response per call, in order: text (a string converts), or a
    /// call of one of <see cref="Tools"/> (<see cref="ScriptedResponse.ToolCall"/>), after which the model is
    /// called again with the tool's result and answers the next response.
    /// </summary>
    public IReadOnlyList<ScriptedResponse> Responses { get; init; } = [];

    /// <summary>Tools the agent may call.</summary>
    public IReadOnlyList<AITool> Tools { get; init; } = [];

    /// <summary>A chat client to use instead of resolving <see cref="Model"/>.</summary>
    public IChatClient? ChatClient { get; init; }

    /// <summary>Sampling temperature, when the model supports it.</summary>
    public float? Temperature { get; init; }

    /// <summary>Most output tokens per call; the run's remaining token budget lowers it further.</summary>
    public int? MaxOutputTokens { get; init; }

    /// <summary>
    /// The agent's memory (<c>memory: { scope: agent, top_k: 5 }</c>): the memories of its scope most relevant to its task
    /// are given to it before its model call, and what it publishes is remembered after each committed step; null for none.
    /// </summary>
    public AgentMemoryOptions? Memory { get; init; }
}
