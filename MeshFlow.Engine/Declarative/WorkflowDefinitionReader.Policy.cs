using MeshFlow.Governance;
using MeshFlow.Workflows;
using YamlDotNet.RepresentationModel;

namespace MeshFlow.Declarative;

/// <summary>Reading <c>policy:</c>: a mode name, or a mapping of a mode and overrides.</summary>
internal sealed partial class WorkflowDefinitionReader
{
    private static readonly string[] PolicyFields = ["mode", "max_steps", "max_tokens", "max_cost_usd", "step_timeout"];

    private const string PolicyWhere = "the policy";

    private Policy ReadPolicy(YamlFields root)
    {
        var standard = Policy.ForMode(PolicyModes.Standard);
        switch (root["policy"])
        {
            case null:
                return standard;
            case YamlScalarNode scalar when Scalars.IsNull(scalar):
                return standard;
            case YamlScalarNode scalar:
                return Mode(scalar, "policy") ?? standard;
            case YamlMappingNode mapping:
                return ReadPolicy(Fields(mapping, "policy", PolicyFields, PolicyWhere), standard);
            case var other:
                Error(WorkflowErrorCodes.InvalidValue,
                    $"'policy' must be a mode name ({string.Join(", ", PolicyModes.All)}) or a mapping such as " +
                    $"{{ mode: strict, max_steps: 20 }}, but is {Scalars.Describe(other)}", "policy", other);
                return standard;
        }
    }

    private Policy ReadPolicy(YamlFields fields, Policy standard)
    {
        var policy = ReadScalar(fields, "mode", PolicyWhere, "a mode name") is { } mode
            ? Mode(mode, "policy.mode") ?? standard
            : standard;
        if (ReadInteger(fields, "max_steps", PolicyWhere, 0, int.MaxValue) is { } steps)
        {
            policy = policy with { MaxSteps = (int)steps };
        }

        if (ReadInteger(fields, "max_tokens", PolicyWhere, 0, long.MaxValue) is { } tokens)
        {
            policy = policy with { MaxTokens = tokens };
        }

        if (ReadDecimal(fields, "max_cost_usd", PolicyWhere) is { } cost)
        {
            policy = policy with { MaxCostUsd = cost };
        }

        if (ReadStepTimeout(fields) is { } timeout)
        {
            policy = policy with { StepTimeout = timeout };
        }

        return policy;
    }

    private Policy? Mode(YamlScalarNode scalar, string path)
    {
        var mode = scalar.Value ?? string.Empty;
        if (Policy.TryForMode(mode, out var policy))
        {
            return policy;
        }

        Error(WorkflowErrorCodes.UnknownPolicyMode,
            $"unknown policy mode '{mode}' (expected {string.Join(", ", PolicyModes.All)})", path, scalar);
        return null;
    }

    private TimeSpan? ReadStepTimeout(YamlFields fields)
    {
        const string Expected = "a number of seconds or a duration such as 500ms, 30s, 2m or 1h";
        if (ReadScalar(fields, "step_timeout", PolicyWhere, Expected) is not { } scalar)
        {
            return null;
        }

        if (Scalars.TryDuration(scalar.Value ?? string.Empty, out var timeout) && timeout > TimeSpan.Zero)
        {
            return timeout;
        }

        Error(WorkflowErrorCodes.InvalidValue,
            $"'step_timeout' of {PolicyWhere} must be {Expected}, greater than zero, but is {Scalars.Describe(scalar)}",
            "policy.step_timeout", scalar);
        return null;
    }
}
