using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;
using MeshFlow.Agents;
using MeshFlow.Governance;
using Microsoft.Extensions.AI;

namespace MeshFlow.Steps;

/// <summary>
/// Holds each model turn of one step's tool loop to the run's token and dollar budgets: before every turn after the
/// first, what the run had spent plus what the step's earlier turns spent must leave something, and what is left caps
/// the turn's output tokens. The step's first turn is checked by the pipeline before the step.
/// </summary>
/// <remarks>
/// A turn's usage is the provider's report, or a tokenizer's count of its prompt and text when it reports none, as the
/// step's own total is counted.
/// </remarks>
internal sealed class TurnBudget(IChatClient inner, RunBudget budget, Policy policy, ModelPricing pricing) : DelegatingChatClient(inner)
{
    private long _input;
    private long _output;
    private int _turns;

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var prompt = messages as IReadOnlyList<ChatMessage> ?? [.. messages];
        if (Interlocked.Increment(ref _turns) > 1)
        {
            options = Hold(options);
        }

        UsageDetails? reported = null;
        var text = new StringBuilder();
        await foreach (var update in base.GetStreamingResponseAsync(prompt, options, cancellationToken).ConfigureAwait(false))
        {
            foreach (var content in update.Contents)
            {
                switch (content)
                {
                    case UsageContent usage:
                        (reported ??= new UsageDetails()).Add(usage.Details);
                        break;
                    case TextContent { Text: { Length: > 0 } delta }:
                        text.Append(delta);
                        break;
                }
            }

            yield return update;
        }

        Interlocked.Add(ref _input, reported?.InputTokenCount ?? TokenEstimator.Count(prompt));
        Interlocked.Add(ref _output, reported?.OutputTokenCount ?? TokenEstimator.Count(text.ToString()));
    }

    // Refuses a turn the budgets leave nothing for, or caps its output by the tokens that remain.
    private ChatOptions? Hold(ChatOptions? options)
    {
        var input = Volatile.Read(ref _input);
        var output = Volatile.Read(ref _output);
        if (policy.MaxTokens > 0)
        {
            var used = budget.Tokens.Total + input + output;
            if (used >= policy.MaxTokens)
            {
                throw new TurnRefusedException(StepVerdict.Block(BlockReason.Budget, string.Create(CultureInfo.InvariantCulture,
                    $"MaxTokens ({policy.MaxTokens}) reached: {used} tokens used; the model's next turn was not asked for")));
            }

            if (OutputLimit.For(options?.MaxOutputTokens, policy.MaxTokens - used) is { } left && left != options?.MaxOutputTokens)
            {
                options = options?.Clone() ?? new ChatOptions();
                options.MaxOutputTokens = left;
            }
        }

        if (policy.MaxCostUsd > 0)
        {
            var spent = budget.CostUsd + pricing.Cost(input, output);
            if (spent >= policy.MaxCostUsd)
            {
                throw new TurnRefusedException(StepVerdict.Block(BlockReason.Budget, string.Create(CultureInfo.InvariantCulture,
                    $"MaxCostUsd ({policy.MaxCostUsd}) reached: ${spent} spent; the model's next turn was not asked for")));
            }
        }

        return options;
    }
}

/// <summary>A model turn of a tool loop was refused before it was asked for; the step ends with the verdict.</summary>
internal sealed class TurnRefusedException(StepVerdict verdict) : Exception(verdict.Detail)
{
    public StepVerdict Verdict { get; } = verdict;
}
