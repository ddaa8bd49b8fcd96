using System.Globalization;
using System.Text.Json;
using MeshFlow.Governance.Guardian;
using MeshFlow.Workflows;

namespace MeshFlow.Governance;

/// <summary>
/// The guardian, when the policy turns it on (<c>guardian</c>): untrusted content is scanned for injected instructions
/// before a model or a later node sees it (what tools return, and the run's input when the policy marks it untrusted);
/// tool arguments that carry a secret are refused; an output that carried secrets or exfiltration links (stripped
/// while it streamed, <see cref="GuardianFinding"/>) is blocked when the policy says so; and an agent that repeats
/// itself, stalls in a loop or spends far beyond its own baseline is escalated. Every verdict has reason
/// <see cref="BlockReason.Guardian"/>, and the step's record names the signal and where it was found.
/// </summary>
/// <remarks>
/// The guardian is defence in depth: with it off, an injected request to call a tool an agent was not given still
/// cannot run (<see cref="IdentityCheck"/>).
/// </remarks>
public sealed class GuardianCheck : IStepCheck
{
    /// <summary>The shared instance; what it remembers of a run is kept on the run (<see cref="StepCheckContext.Audit"/>).</summary>
    public static GuardianCheck Instance { get; } = new();

    /// <inheritdoc />
    public string Name => "guardian";

    /// <inheritdoc />
    public ValueTask<StepVerdict> BeforeStepAsync(StepCheckContext context, CancellationToken cancellationToken)
    {
        var guardian = context.Policy.Guardian;
        // The run's input reaches every agent: it is scanned once per run and stops each agent step until a reviewer
        // approves it at one of them; the agents after that approval are not stopped for it again.
        if (!guardian.Enabled || !guardian.UntrustedInput || context.Node is not AgentNode)
        {
            return Commit;
        }

        return Injection(context, context.Audit.InputFinding(context.RunInput), GuardianSources.RunInput, null, "the run's input");
    }

    /// <inheritdoc />
    public ValueTask<StepVerdict> BeforeToolCallAsync(StepCheckContext context, ToolCallRequest toolCall, CancellationToken cancellationToken)
    {
        if (!context.Policy.Guardian.Enabled || toolCall.Arguments.Count == 0)
        {
            return Commit;
        }

        var arguments = JsonSerializer.Serialize(toolCall.Arguments);
        foreach (var leak in context.Audit.Leaks.Find(arguments))
        {
            if (leak.Kind != LeakKind.Secret)
            {
                continue;
            }

            context.RecordGuardian(new GuardianFinding(leak.Label, GuardianSources.ToolArguments, GuardianFinding.Blocked)
            {
                Tool = toolCall.Name, CallId = toolCall.CallId,
            });
            return ValueTask.FromResult(StepVerdict.Block(BlockReason.Guardian,
                $"guardian: the arguments of tool '{toolCall.Name}' carry a secret ({leak.Label}); the call was not made"));
        }

        return Commit;
    }

    /// <inheritdoc />
    public ValueTask<StepVerdict> AfterToolCallAsync(StepCheckContext context, ToolCallRequest toolCall, string result, CancellationToken cancellationToken) =>
        context.Policy.Guardian.Enabled
            ? Injection(context, InjectionScanner.Scan(result), GuardianSources.ToolResult, toolCall, $"the result of tool '{toolCall.Name}'")
            : Commit;

    /// <inheritdoc />
    public ValueTask<StepVerdict> AfterStepAsync(StepCheckContext context, StepOutcome outcome, CancellationToken cancellationToken)
    {
        var guardian = context.Policy.Guardian;
        if (!guardian.Enabled || context.Node is not AgentNode agent)
        {
            return Commit;
        }

        var withheld = context.GuardianFindings
            .Where(f => f is { Source: GuardianSources.Output, Action: GuardianFinding.Blocked })
            .Select(f => f.Signal).Distinct(StringComparer.Ordinal).ToList();
        if (withheld.Count > 0)
        {
            return ValueTask.FromResult(StepVerdict.Block(BlockReason.Guardian,
                $"guardian: the output carried {string.Join(", ", withheld)}; it was withheld (guardian.on_leak: block)"));
        }

        if (!guardian.Behaviour)
        {
            return Commit;
        }

        var finding = context.Audit.Behaviour.Observe(agent.AgentId ?? agent.Id, context.StepId, context.Iteration, outcome.Output,
            outcome.Tokens.Total, outcome.CostUsd);
        if (finding is null)
        {
            return Commit;
        }

        context.RecordGuardian(new GuardianFinding(finding.Signal, GuardianSources.Behaviour, GuardianFinding.Escalated));
        return ValueTask.FromResult(StepVerdict.Escalate(BlockReason.Guardian, $"guardian: {finding.Signal}: {finding.Detail}"));
    }

    private static ValueTask<StepVerdict> Commit => ValueTask.FromResult(StepVerdict.Commit);

    private static ValueTask<StepVerdict> Injection(StepCheckContext context, InjectionFinding? found, string source, ToolCallRequest? call, string where)
    {
        if (found is not { } finding)
        {
            return Commit;
        }

        var block = context.Policy.Guardian.OnInjection == GuardianAction.Block;
        context.RecordGuardian(new GuardianFinding(finding.Signal, source, block ? GuardianFinding.Blocked : GuardianFinding.Escalated)
        {
            Tool = call?.Name, CallId = call?.CallId, Offset = finding.Start,
        });
        var detail = string.Create(CultureInfo.InvariantCulture,
            $"guardian: injection signal '{finding.Signal}' in {where} at character {finding.Start}; it was not passed on");
        return ValueTask.FromResult(block ? StepVerdict.Block(BlockReason.Guardian, detail) : StepVerdict.Escalate(BlockReason.Guardian, detail));
    }
}
