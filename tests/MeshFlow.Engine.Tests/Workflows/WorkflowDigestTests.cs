using MeshFlow.Approvals;
using MeshFlow.Governance;
using MeshFlow.Governance.Risk;
using MeshFlow.Workflows;

namespace MeshFlow.Tests.Workflows;

public sealed class WorkflowDigestTests
{
    private static Workflow Build(Policy policy) =>
        new WorkflowBuilder("digest").WithPolicy(policy).AddAgent("writer", "Draft the clause.").Build();

    // That the default hitl leaves the digest as it was before policies had one is held by
    // WorkflowYamlRiskTests.A_low_risk_workflow_keeps_the_digest_it_had_before_risk_was_declarable.
    [Fact]
    public void Each_part_of_hitl_changes_the_digest()
    {
        var standard = Policy.ForMode(PolicyModes.Standard);
        HitlPolicy[] variants =
        [
            HitlPolicy.Default,
            HitlPolicy.Default with { Enabled = false },
            HitlPolicy.Default with { RiskThreshold = RiskTier.High },
            HitlPolicy.Default with { WebhookUrl = "https://hooks.example/approvals" },
            HitlPolicy.Default with { TimeoutSeconds = 3_600 },
            HitlPolicy.Default with { OnTimeout = HitlTimeoutAction.Approve },
            HitlPolicy.Default with { OnTimeout = HitlTimeoutAction.Escalate, EscalateTo = "https://hooks.example/escalate" },
        ];

        var digests = variants.Select(hitl => Build(standard with { Hitl = hitl }).Digest).ToList();

        Assert.Equal(variants.Length, digests.Distinct().Count());
    }
}
