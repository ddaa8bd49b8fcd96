using System.Text;
using MeshFlow.Memory;
using MeshFlow.Retrieval.Vectors;
using MeshFlow.Workflows;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;

namespace MeshFlow.Steps;

/// <summary>
/// An agent node's memory in its steps: what it recalls before its model call, and what it remembers once a step is
/// committed. Memory serves the agent but is not what the run stands on: a memory that cannot be read or written is
/// reported in the log (without its content) and the step goes on without it.
/// </summary>
internal sealed partial class StepMemory(RunScope run)
{
    /// <summary>How the system message that hands an agent its memories begins.</summary>
    public const string Heading = "Relevant memories from earlier work:";

    private static readonly TimeSpan RememberTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Adds the memories most relevant to <paramref name="task"/> to the prompt, as a system message after the
    /// instructions: the recorded task (the user side of the prompt, which a replay compares) stays what it was.
    /// </summary>
    public async ValueTask RecallAsync(AgentNode node, List<ChatMessage> messages, string task, CancellationToken token)
    {
        if (node.Memory is not { } memory || run.Replay is not null)
        {
            return;
        }

        IReadOnlyList<AgentMemory> recalled;
        try
        {
            // The query leaves the run for the embedder as any text leaving it does: cleaned when the policy cleans.
            recalled = await run.Engine.Memory.RetrieveRelevantAsync(run.TenantId, ScopeOf(node, memory), run.Sinks.Clean(task), memory.TopK, token)
                .ConfigureAwait(false);
        }
        catch (Exception ex) when (!token.IsCancellationRequested)
        {
            LogRecallFailed(run.Engine.Memory.Logger, run.RunId, node.Id, MemoryScopes.NameOf(memory.Scope), Describe(ex));
            return;
        }

        if (recalled.Count == 0)
        {
            return;
        }

        var text = new StringBuilder(Heading);
        foreach (var item in recalled)
        {
            // A memory written under another run's policy (a tenant-scope one, say) is cleaned under this run's.
            text.Append("\n- ").Append(run.Sinks.Clean(item.Text).ReplaceLineEndings(" "));
        }

        var at = messages.Count > 0 && messages[0].Role == ChatRole.System ? 1 : 0;
        messages.Insert(at, new ChatMessage(ChatRole.System, text.ToString()));
    }

    /// <summary>
    /// Remembers what a committed step published (its output as it left the step: cleaned of secrets and PHI when the
    /// policy cleans), never the raw output.
    /// </summary>
    public async ValueTask RememberAsync(AgentNode node, string published)
    {
        if (node.Memory is not { } memory || run.Replay is not null || string.IsNullOrWhiteSpace(published))
        {
            return;
        }

        // The step is committed but its end is not announced until this returns: a slow embedder (retrying a remote
        // one, say) may hold it only so long, and is then given up like any other memory failure.
        using var timeout = new CancellationTokenSource(RememberTimeout);
        try
        {
            await run.Engine.Memory.AddAsync(run.TenantId, ScopeOf(node, memory), published, run.RunId, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogRememberFailed(run.Engine.Memory.Logger, run.RunId, node.Id, MemoryScopes.NameOf(memory.Scope), Describe(ex));
        }
    }

    // The exception's type only: its message may quote what was being embedded. A model change says what fixes it.
    private static string Describe(Exception ex) => ex is VectorModelMismatchException mismatch
        ? $"it holds vectors of '{mismatch.CollectionModel}', not '{mismatch.Model}': AgentMemoryStore.ReembedAsync re-embeds the tenant's memory"
        : ex.GetType().Name;

    private string ScopeOf(AgentNode node, AgentMemoryOptions memory) => MemoryScopes.For(memory.Scope, run.Workflow.Name, run.RunId, node.Id);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Run {RunId}: the {Scope} memory of node {NodeId} could not be read ({Error}); the step goes on without memories")]
    private static partial void LogRecallFailed(ILogger logger, string runId, string nodeId, string scope, string error);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Run {RunId}: the output of node {NodeId} could not be remembered in its {Scope} memory ({Error}); the run goes on")]
    private static partial void LogRememberFailed(ILogger logger, string runId, string nodeId, string scope, string error);
}
