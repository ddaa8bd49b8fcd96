using MeshFlow.Approvals;
using MeshFlow.Declarative;
using MeshFlow.Governance;
using MeshFlow.Tests.Declarative;
using MeshFlow.Workflows;

namespace MeshFlow.Tests.Governance.Policies;

public sealed class PolicyHitlYamlTests
{
    private static string Definition(string policy) => $"""
        name: t
        policy:
        {policy}
        nodes:
          - id: a
        """;

    [Fact]
    public void Hitl_parts_over_a_mode_are_read_and_the_rest_of_the_mode_kept()
    {
        var workflow = WorkflowYaml.Load(Definition("""
              mode: strict
              hitl:
                timeout_seconds: 3600
                on_timeout: escalate
                escalate_to: https://hooks.example/escalate
            """));

        Assert.Equal(Policy.ForMode(PolicyModes.Strict) with
        {
            Hitl = HitlPolicy.Default with
            {
                TimeoutSeconds = 3600, OnTimeout = HitlTimeoutAction.Escalate, EscalateTo = "https://hooks.example/escalate",
            },
        }, workflow.Policy);
        Assert.Equal(["hitl", "hitl.escalate_to", "hitl.on_timeout", "hitl.timeout_seconds"], PolicyFields.DifferingFromMode(workflow.Policy).Order());
    }

    [Theory]
    [InlineData("  hitl: on", 3, 9, WorkflowErrorCodes.InvalidValue, "'hitl' of the policy must be a mapping")]
    [InlineData("  hitl: { enabled: maybe }", 3, 20, WorkflowErrorCodes.InvalidValue, "'hitl.enabled'", "true or false", "'maybe'")]
    [InlineData("  hitl: { risk_threshold: hihg }", 3, 27, WorkflowErrorCodes.InvalidValue, "'hitl.risk_threshold'", "did you mean 'high'?")]
    [InlineData("  hitl: { timeout_seconds: 0 }", 3, 28, WorkflowErrorCodes.InvalidValue, "'hitl.timeout_seconds'", "from 1 to 2592000 (30 days)")]
    [InlineData("  hitl: { on_timeout: later }", 3, 23, WorkflowErrorCodes.InvalidValue, "'hitl.on_timeout'", "one of reject, approve, escalate")]
    [InlineData("  hitl: { webhook_url: ftp://hooks.example }", 3, 24, WorkflowErrorCodes.InvalidValue, "'hitl.webhook_url'", "whose scheme is 'ftp'")]
    [InlineData("  hitl: { escalate_to: 'https://u:p@x.example' }", 3, 24, WorkflowErrorCodes.InvalidValue, "'hitl.escalate_to'", "carries credentials")]
    [InlineData("  hitl: { on_timeout: escalate }", 3, 23, WorkflowErrorCodes.InvalidValue, "needs 'hitl.escalate_to'")]
    [InlineData("  hitl: { timeout: 60 }", 3, 11, WorkflowErrorCodes.UnknownField, "unknown field 'timeout' in 'hitl'", "expected enabled, risk_threshold")]
    public void A_wrong_part_is_reported_at_its_line_and_column(string line, int row, int column, string code, params string[] words)
    {
        var error = DefinitionAssert.SingleError(Definition(line));

        DefinitionAssert.Error(error, code, row, column, words);
    }

    [Fact]
    public void Problems_in_a_block_mapping_are_placed_at_each_part_with_their_paths()
    {
        var errors = DefinitionAssert.Errors(Definition("""
              hitl:
                enabled: yes
                timout_seconds: 60
                on_timeout: escalate
                escalate_to: none
            """));

        Assert.Equal(["policy.hitl.enabled", "policy.hitl.timout_seconds"], errors.Select(e => e.Path));
        DefinitionAssert.Error(errors[0], WorkflowErrorCodes.InvalidValue, 4, 14, "'hitl.enabled' of the policy must be true or false");
        DefinitionAssert.Error(errors[1], WorkflowErrorCodes.UnknownField, 5, 5, "did you mean 'timeout_seconds'?");
    }

    [Fact]
    public void An_escalation_without_a_target_points_at_the_target_written_as_none()
    {
        var error = DefinitionAssert.SingleError(Definition("""
              hitl:
                on_timeout: escalate
                escalate_to: none
            """));

        DefinitionAssert.Error(error, WorkflowErrorCodes.InvalidValue, 5, 18, "'hitl.on_timeout' of the policy is escalate");
        Assert.Equal("policy.hitl.escalate_to", error.Path);
    }

    [Fact]
    public void Hitl_is_read_from_a_json_definition_too()
    {
        var workflow = WorkflowYaml.Load("""
            {"name": "j", "policy": {"hitl": {"enabled": false, "timeout_seconds": 90}}, "nodes": [{"id": "a"}]}
            """);

        Assert.Equal(HitlPolicy.Default with { Enabled = false, TimeoutSeconds = 90 }, workflow.Policy.Hitl);
    }
}
