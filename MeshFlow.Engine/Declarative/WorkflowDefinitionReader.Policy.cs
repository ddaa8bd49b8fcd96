using MeshFlow.Governance;
using MeshFlow.Workflows;
using YamlDotNet.RepresentationModel;

namespace MeshFlow.Declarative;

/// <summary>
/// Reading <c>policy:</c>: a mode name, or a mapping of a mode and overrides, through the one field table
/// (<see cref="PolicyFields"/>) the API's readers use too.
/// </summary>
internal sealed partial class WorkflowDefinitionReader
{
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
                return Report(PolicyReading.ReadMode(new YamlPolicyValue(scalar), "policy", PolicyScope())) ?? standard;
            case YamlMappingNode mapping:
                // Unknown fields are reported here as in every other mapping of the definition; the table reads the rest.
                var fields = Fields(mapping, "policy", PolicyFields.Names, PolicyWhere);
                var known = fields.Entries
                    .Where(e => PolicyFields.Names.Contains(e.Key.Value, StringComparer.Ordinal))
                    .Select(e => (e.Key.Value!, (IPolicyValue)new YamlPolicyValue(e.Value)))
                    .ToList();
                return Report(PolicyReading.ReadFields(known, standard, PolicyScope())) ?? standard;
            case var other:
                Error(WorkflowErrorCodes.InvalidValue,
                    $"'policy' must be a mode name ({string.Join(", ", PolicyModes.All)}) or a mapping such as " +
                    $"{{ mode: strict, max_steps: 20 }}, but is {Scalars.Describe(other)}", "policy", other);
                return standard;
        }
    }

    private PolicyReadScope PolicyScope() =>
        new("policy", PolicyWhere, _options.Tools?.Keys.ToArray());

    private Policy? Report(PolicyReadResult result)
    {
        foreach (var problem in result.Problems)
        {
            var code = problem.Kind switch
            {
                PolicyProblemKind.UnknownMode => WorkflowErrorCodes.UnknownPolicyMode,
                PolicyProblemKind.UnknownField => WorkflowErrorCodes.UnknownField,
                PolicyProblemKind.UnknownTool => WorkflowErrorCodes.UnknownTool,
                _ => WorkflowErrorCodes.InvalidValue,
            };
            Error(code, problem.Message, problem.Field, ((YamlPolicyValue)problem.At).Node);
        }

        return result.Policy;
    }
}
