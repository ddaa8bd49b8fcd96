using MeshFlow.Runs;

namespace MeshFlow.Steps;

/// <summary>
/// A model's stream broke after it had sent tokens or tool calls: the step cannot be moved to another model without
/// its output changing under the listeners, so it fails, or runs again whole when the policy says so.
/// </summary>
internal sealed class StreamInterruptedException(string message, Exception inner, TokenUsage tokens) : Exception(message, inner)
{
    /// <summary>What the broken attempt used (the provider's report so far, else counted).</summary>
    public TokenUsage Tokens { get; } = tokens;
}
