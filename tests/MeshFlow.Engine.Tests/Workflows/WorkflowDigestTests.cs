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

    [Fact]
    public void A_human_nodes_instructions_are_part_of_the_digest()
    {
        static string Digest(string instructions) =>
            new WorkflowBuilder("review").AddAgent("writer", "Draft.").AddHuman("approve", instructions).AddEdge("writer", "approve").Build().Digest;

        Assert.Equal(Digest("Check the clause"), Digest("Check the clause"));
        Assert.NotEqual(Digest("Check the clause"), Digest("Check the clause again"));
    }

    [Fact]
    public void A_human_node_differs_in_the_digest_from_an_agent_with_the_same_id_and_instructions()
    {
        var human = new WorkflowBuilder("review").AddHuman("approve", "Check the clause").Build();
        var agent = new WorkflowBuilder("review").AddAgent("approve", "Check the clause").Build();
        var renamed = new WorkflowBuilder("review").AddHuman("sign-off", "Check the clause").Build();

        Assert.Equal(3, new[] { human.Digest, agent.Digest, renamed.Digest }.Distinct().Count());
    }
}
