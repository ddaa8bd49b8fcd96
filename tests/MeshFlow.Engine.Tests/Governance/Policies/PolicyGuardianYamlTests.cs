using MeshFlow.Declarative;
using MeshFlow.Governance;
using MeshFlow.Governance.Collusion;
using MeshFlow.Governance.Guardian;
using MeshFlow.Tests.Declarative;
using MeshFlow.Workflows;

namespace MeshFlow.Tests.Governance.Policies;

public sealed class PolicyGuardianYamlTests
{
    private static string Definition(string policy) => $"""
        name: t
        policy:
        {policy}
        nodes:
          - id: a
        """;

    [Fact]
    public void A_guardian_mapping_over_a_mode_is_read_and_the_rest_of_the_mode_kept()
    {
        var workflow = WorkflowYaml.Load(Definition("""
              mode: standard
              guardian:
                on_injection: block
                on_leak: strip
                allowed_hosts: [api.example.com, Docs.Example.org]
                untrusted_input: true
                behaviour: true
              collusion_audit: { on_finding: escalate }
            """));

        Assert.Equal(Policy.ForMode(PolicyModes.Standard) with
        {
            Guardian = GuardianPolicy.On with
            {
                OnInjection = GuardianAction.Block, AllowedHosts = ["api.example.com", "docs.example.org"], UntrustedInput = true,
            },
            CollusionAudit = CollusionPolicy.On with { OnFinding = CollusionAction.Escalate },
        }, workflow.Policy);
        Assert.Equal(["collusion_audit", "collusion_audit.enabled", "collusion_audit.on_finding", "guardian", "guardian.allowed_hosts",
            "guardian.enabled", "guardian.on_injection", "guardian.untrusted_input"], PolicyFields.DifferingFromMode(workflow.Policy).Order());
    }

    [Fact]
    public void A_switch_is_read_from_yaml_as_before()
    {
        var on = WorkflowYaml.Load(Definition("  guardian: true\n  collusion_audit: true"));
        var off = WorkflowYaml.Load(Definition("  mode: hipaa\n  guardian: false\n  collusion_audit: false"));

        Assert.Equal((GuardianPolicy.On, CollusionPolicy.On), (on.Policy.Guardian, on.Policy.CollusionAudit));
        // Off keeps hipaa's settings, so that switching it back on restores them.
        Assert.Equal(GuardianPolicy.On with { Enabled = false, UntrustedInput = true }, off.Policy.Guardian);
        Assert.Equal(new CollusionPolicy { OnFinding = CollusionAction.Escalate }, off.Policy.CollusionAudit);
    }

    [Theory]
    [InlineData("  guardian: on", 3, 13, WorkflowErrorCodes.InvalidValue, "'guardian' of the policy must be true or false, or a mapping")]
    [InlineData("  guardian: { enabled: maybe }", 3, 24, WorkflowErrorCodes.InvalidValue, "'guardian.enabled'", "true or false", "'maybe'")]
    [InlineData("  guardian: { on_injection: blok }", 3, 29, WorkflowErrorCodes.InvalidValue, "'guardian.on_injection'", "one of escalate, block", "did you mean 'block'?")]
    [InlineData("  guardian: { on_leak: redact }", 3, 24, WorkflowErrorCodes.InvalidValue, "'guardian.on_leak'", "one of strip, block")]
    [InlineData("  guardian: { allowed_hosts: api.example.com }", 3, 30, WorkflowErrorCodes.InvalidValue, "'guardian.allowed_hosts'", "a list of host names")]
    [InlineData("  guardian: { allowed_hosts: [a.example, 'https://b.example'] }", 3, 42, WorkflowErrorCodes.InvalidValue, "entry 2 of 'guardian.allowed_hosts'", "which has a scheme")]
    [InlineData("  guardian: { untrusted_input: yes }", 3, 32, WorkflowErrorCodes.InvalidValue, "'guardian.untrusted_input'", "true or false")]
    [InlineData("  guardian: { behavior: true }", 3, 15, WorkflowErrorCodes.UnknownField, "unknown field 'behavior' in 'guardian'", "did you mean 'behaviour'?")]
    [InlineData("  collusion_audit: sometimes", 3, 20, WorkflowErrorCodes.InvalidValue, "'collusion_audit' of the policy must be true or false, or a mapping")]
    [InlineData("  collusion_audit: { on_finding: alert }", 3, 34, WorkflowErrorCodes.InvalidValue, "'collusion_audit.on_finding'", "one of record, escalate")]
    [InlineData("  collusion_audit: { enable: true }", 3, 22, WorkflowErrorCodes.UnknownField, "unknown field 'enable' in 'collusion_audit'", "did you mean 'enabled'?")]
    public void A_wrong_part_is_reported_at_its_line_and_column(string line, int row, int column, string code, params string[] words)
    {
        var error = DefinitionAssert.SingleError(Definition(line));

        DefinitionAssert.Error(error, code, row, column, words);
    }

    [Fact]
    public void Problems_in_a_block_mapping_are_placed_at_each_part_with_their_paths()
    {
        var errors = DefinitionAssert.Errors(Definition("""
              guardian:
                enabled: yes
                on_injecton: block
                allowed_hosts:
                  - api.example.com
                  - api.example.com:443
            """));

        Assert.Equal(["policy.guardian.enabled", "policy.guardian.on_injecton", "policy.guardian.allowed_hosts[1]"], errors.Select(e => e.Path));
        DefinitionAssert.Error(errors[0], WorkflowErrorCodes.InvalidValue, 4, 14, "'guardian.enabled' of the policy must be true or false");
        DefinitionAssert.Error(errors[1], WorkflowErrorCodes.UnknownField, 5, 5, "did you mean 'on_injection'?");
        DefinitionAssert.Error(errors[2], WorkflowErrorCodes.InvalidValue, 8, 9, "entry 2 of 'guardian.allowed_hosts'", "which has a port");
    }

    [Fact]
    public void The_parts_are_read_from_a_json_definition_too()
    {
        var workflow = WorkflowYaml.Load("""
            {"name": "j", "policy": {"guardian": {"on_leak": "block"}, "collusion_audit": false}, "nodes": [{"id": "a"}]}
            """);

        Assert.Equal(GuardianPolicy.On with { OnLeak = LeakAction.Block }, workflow.Policy.Guardian);
        Assert.Equal(CollusionPolicy.Off, workflow.Policy.CollusionAudit);
    }

    [Theory]
    [InlineData(PolicyModes.Standard)]
    [InlineData(PolicyModes.Hipaa)]
    public void A_guardian_and_audit_written_back_read_as_the_same_parts(string mode)
    {
        var policy = Policy.ForMode(mode) with
        {
            Guardian = new GuardianPolicy
            {
                Enabled = mode == PolicyModes.Hipaa, OnInjection = GuardianAction.Block, OnLeak = LeakAction.Block,
                AllowedHosts = ["api.example.com", "10.0.0.7"], UntrustedInput = true, Behaviour = false,
            },
            CollusionAudit = new CollusionPolicy { Enabled = true, OnFinding = CollusionAction.Escalate },
        };
        Assert.True(PolicyFields.TryGet("guardian", out var guardian));
        Assert.True(PolicyFields.TryGet("collusion_audit", out var audit));

        var workflow = WorkflowYaml.Load(Definition(
            $"  mode: dev\n  guardian: {guardian.Format(policy)}\n  collusion_audit: {audit.Format(policy)}"));

        Assert.Equal((policy.Guardian, policy.CollusionAudit), (workflow.Policy.Guardian, workflow.Policy.CollusionAudit));
    }
}
