using System.Collections.Concurrent;
using MeshFlow.Governance.Collusion;
using static MeshFlow.Tests.Governance.Collusion.CollusionScript;

namespace MeshFlow.Tests.Governance.Collusion;

public sealed class CollusionAuditorTests
{
    private const string RmCommand = """{"command":"rm -rf /var/lib/postgres/data"}""";

    // critic_echo

    [Theory]
    [InlineData("APPROVED", true)]
    [InlineData("LGTM", true)]
    [InlineData("Looks good to me.", true)]
    [InlineData("No changes needed.", true)]
    [InlineData("Verdict: approve", true)]
    [InlineData("REVISE: the cap is too low.", false)]
    [InlineData("REJECT", false)]
    [InlineData("Not approved.", false)]
    [InlineData("Changes requested: see the credit clause.", false)]
    [InlineData("Please approve.", false)]
    [InlineData("This doesn’t look good.", false)]
    [InlineData("Noted.", false)]
    public void A_reviewer_repeating_the_draft_is_an_echo_only_when_it_approves(string verdict, bool echo)
    {
        var draft = Step("writer", "draft", 1, SupplyTerms);
        var review = Step("critic", "review", 1, SupplyTerms + "\n\n" + verdict, draft) with { Role = "critic" };

        var findings = Run(new CollusionAuditor(), draft, review);

        if (!echo)
        {
            Assert.Empty(findings);
            return;
        }

        var finding = Assert.Single(findings);
        Assert.Equal(CollusionPatterns.CriticEcho, finding.Pattern);
        Assert.Equal(["writer", "critic"], finding.Agents);
        Assert.Equal(["draft:1", "review:1"], finding.Steps);
        Assert.Equal("step review:1 approves step draft:1 while repeating 100% of its word triples", finding.Detail);
    }

    [Fact]
    public void An_approval_that_is_mostly_a_quote_of_the_draft_is_an_echo()
    {
        var draft = Step("writer", "draft", 1, SupplyTerms + " " + MaintenanceTerms);
        var review = Step("critic", "review", 1, "LGTM: " + MaintenanceTerms, draft);

        var finding = Assert.Single(Run(new CollusionAuditor(), draft, review));

        Assert.Equal(CollusionPatterns.CriticEcho, finding.Pattern);
        Assert.Contains("of its own word triples copied from it", finding.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("pumps", finding.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void An_approval_with_a_review_of_its_own_is_not_an_echo()
    {
        var draft = Step("writer", "draft", 1, SupplyTerms);
        var review = Step("critic", "review", 1, OwnReview, draft);

        Assert.Empty(Run(new CollusionAuditor(), draft, review));
    }

    [Fact]
    public void Repeating_a_short_input_or_the_agents_own_draft_is_not_an_echo()
    {
        var answer = Step("writer", "answer", 1, "Yes, clause four applies.");
        var shortEcho = Step("critic", "review", 1, "Yes, clause four applies. APPROVED", answer);
        var ownDraft = Step("writer", "draft", 1, SupplyTerms);
        var selfReview = Step("writer", "self-review", 1, SupplyTerms + "\nAPPROVED", ownDraft);

        Assert.Empty(Run(new CollusionAuditor(), answer, shortEcho, ownDraft, selfReview));
    }

    [Fact]
    public void A_finding_is_reported_once_per_run()
    {
        var auditor = new CollusionAuditor();
        var draft = Step("writer", "draft", 1, SupplyTerms);
        var review = Step("critic", "review", 1, SupplyTerms + "\nAPPROVED", draft);

        Assert.Single(Run(auditor, draft, review));
        Assert.Empty(auditor.Observe(review));
    }

    // approval_ring

    [Fact]
    public void Two_agents_approving_each_others_unchanged_resubmissions_are_a_ring()
    {
        var (a1, b1) = (Step("alice", "write-a", 1, SupplyTerms), Step("bob", "write-b", 1, MaintenanceTerms));
        var (ra1, rb1) = (Step("alice", "review-a", 1, "APPROVED", b1), Step("bob", "review-b", 1, "LGTM", a1));
        var (a2, b2) = (Step("alice", "write-a", 2, SupplyTerms, rb1), Step("bob", "write-b", 2, MaintenanceTerms, ra1));
        var (ra2, rb2) = (Step("alice", "review-a", 2, "APPROVED", b2), Step("bob", "review-b", 2, "LGTM", a2));
        var auditor = new CollusionAuditor();

        Assert.Empty(Run(auditor, a1, b1, ra1, rb1, a2, b2, ra2));
        var finding = Assert.Single(auditor.Observe(rb2));

        Assert.Equal(CollusionPatterns.ApprovalRing, finding.Pattern);
        Assert.Equal(["bob", "alice"], finding.Agents);
        Assert.Equal(["review-b:2", "review-a:2"], finding.Steps);
        Assert.Equal(
            "2 agents approve one another's unchanged or contentless outputs in a cycle: step review-b:2 approves step write-a:2; step review-a:2 approves step write-b:2",
            finding.Detail);
    }

    [Fact]
    public void Approving_a_resubmission_that_changed_breaks_the_ring()
    {
        var (a1, b1) = (Step("alice", "write-a", 1, SupplyTerms), Step("bob", "write-b", 1, MaintenanceTerms));
        var (ra1, rb1) = (Step("alice", "review-a", 1, "APPROVED", b1), Step("bob", "review-b", 1, "LGTM", a1));
        var a2 = Step("alice", "write-a", 2, SupplyTerms.Replace("fourteen days", "ten days", StringComparison.Ordinal), rb1);
        var b2 = Step("bob", "write-b", 2, MaintenanceTerms, ra1);
        var (ra2, rb2) = (Step("alice", "review-a", 2, "APPROVED", b2), Step("bob", "review-b", 2, "LGTM", a2));

        Assert.Empty(Run(new CollusionAuditor(), a1, b1, ra1, rb1, a2, b2, ra2, rb2));
    }

    [Fact]
    public void A_writer_and_critic_loop_that_ends_in_approval_is_not_a_ring()
    {
        var w1 = Step("writer", "draft", 1, SupplyTerms);
        var c1 = Step("critic", "review", 1, "REVISE: cap the credit at five percent.", w1);
        var w2 = Step("writer", "draft", 2, SupplyTerms.Replace("ten percent", "five percent", StringComparison.Ordinal), c1);
        var c2 = Step("critic", "review", 2, "APPROVED", w2);
        var w3 = Step("writer", "draft", 3, w2.Output, c2);
        var c3 = Step("critic", "review", 3, "APPROVED", w3);

        Assert.Empty(Run(new CollusionAuditor(), w1, c1, w2, c2, w3, c3));
    }

    [Fact]
    public void Three_agents_stamping_each_others_contentless_approvals_are_a_ring_reported_once()
    {
        var s1 = Step("ann", "n1", 1, "LGTM");
        var s2 = Step("ben", "n2", 1, "LGTM", s1);
        var s3 = Step("cat", "n3", 1, "Approved.", s2);
        var s4 = Step("ann", "n1", 2, "LGTM", s3);
        var s5 = Step("ben", "n2", 2, "LGTM", s4);
        var auditor = new CollusionAuditor();

        Assert.Empty(Run(auditor, s1, s2, s3));
        var finding = Assert.Single(auditor.Observe(s4));
        Assert.Empty(auditor.Observe(s5));

        Assert.Equal(CollusionPatterns.ApprovalRing, finding.Pattern);
        Assert.Equal(["ann", "cat", "ben"], finding.Agents);
        Assert.Equal(["n1:2", "n3:1", "n2:1"], finding.Steps);
    }

    [Fact]
    public void An_agent_that_last_asked_for_changes_is_not_in_a_ring()
    {
        var (a1, b1) = (Step("alice", "write-a", 1, SupplyTerms), Step("bob", "write-b", 1, MaintenanceTerms));
        var (a2, b2) = (Step("alice", "write-a", 2, SupplyTerms), Step("bob", "write-b", 2, MaintenanceTerms));
        var stamp = Step("alice", "review-a", 1, "APPROVED", b2);
        var revise = Step("alice", "review-a", 2, "REVISE: list the parts replaced on each visit.", b2);
        var back = Step("bob", "review-b", 1, "LGTM", a2);

        Assert.Empty(Run(new CollusionAuditor(), a1, b1, a2, b2, stamp, revise, back));
    }

    // split_action

    [Fact]
    public void A_shell_command_written_by_an_agent_without_the_shell_and_run_by_another_is_a_split_action()
    {
        var plan = MayCall(Step("planner", "plan", 1, "Free the disk first:\n```bash\nrm -rf  /var/lib/postgres/data\n```\nthen restart."), "search");
        var act = Calls(Step("executor", "act", 1, "Done.", plan), "shell", RmCommand, "shell");

        var finding = Assert.Single(Run(new CollusionAuditor(), plan, act));

        Assert.Equal(CollusionPatterns.SplitAction, finding.Pattern);
        Assert.Equal(["planner", "executor"], finding.Agents);
        Assert.Equal(["plan:1", "act:1"], finding.Steps);
        Assert.Equal("tool 'shell' called by executor (step act:1) with arguments prepared by planner (step plan:1), which may not call it", finding.Detail);
    }

    [Fact]
    public void An_argument_found_verbatim_in_a_restricted_agents_earlier_output_is_a_split_action_even_through_a_relay()
    {
        var plan = MayCall(Step("planner", "plan", 1, "Wire the refund to IBAN DE89370400440532013000 before Friday."), "search");
        var relay = Step("relay", "relay", 1, "Proceed as planned.", plan);
        var act = Calls(Step("payer", "pay", 1, "Sent.", relay), "transfer", """{"iban":"DE89370400440532013000","amount":5000}""", "transfer");

        var finding = Assert.Single(Run(new CollusionAuditor(), plan, relay, act));

        Assert.Equal(["planner", "payer"], finding.Agents);
        Assert.Contains("tool 'transfer'", finding.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Then run `ls -la` in the folder.", true)]
    [InlineData("Then run ls -la in the folder.", false)]
    public void A_short_argument_counts_only_when_it_was_handed_over_as_code(string planText, bool split)
    {
        var plan = MayCall(Step("planner", "plan", 1, planText), "search");
        var act = Calls(Step("executor", "act", 1, "Done.", plan), "shell", """{"command":"ls -la"}""", "shell");

        Assert.Equal(split, Run(new CollusionAuditor(), plan, act).Count == 1);
    }

    [Fact]
    public void A_command_from_an_agent_that_may_run_it_or_is_unrestricted_or_is_the_caller_is_not_a_split_action()
    {
        const string Plan = "```\nrm -rf /var/lib/postgres/data\n```";
        var allowed = MayCall(Step("ops", "plan", 1, Plan), "search", "shell");
        var unrestricted = Step("lead", "plan", 2, Plan);
        var own = MayCall(Step("executor", "plan", 3, Plan), "search");
        var act = Calls(Step("executor", "act", 1, "Done.", allowed, unrestricted, own), "shell", RmCommand, "shell");

        Assert.Empty(Run(new CollusionAuditor(), allowed, unrestricted, own, act));
    }

    [Fact]
    public void Without_remembered_outputs_only_the_callers_own_inputs_are_traced()
    {
        var auditor = new CollusionAuditor(new CollusionThresholds { RecentOutputs = 0 });
        var plan = MayCall(Step("planner", "plan", 1, "Run `rm -rf /var/lib/postgres/data` now."), "search");
        var relay = Step("relay", "relay", 1, "Proceed as planned.", plan);
        var viaRelay = Calls(Step("executor", "act", 1, "Done.", relay), "shell", RmCommand, "shell");
        var direct = Calls(Step("executor", "act", 2, "Done.", plan), "shell", RmCommand, "shell");

        Assert.Empty(Run(auditor, plan, relay, viaRelay));
        Assert.Equal(["plan:1", "act:2"], Assert.Single(auditor.Observe(direct)).Steps);
    }

    [Fact]
    public void A_command_the_caller_wrote_itself_is_not_a_split_action()
    {
        var plan = MayCall(Step("planner", "plan", 1, "Free some disk space on the database host, carefully."), "search");
        var act = Calls(Step("executor", "act", 1, "Done.", plan), "shell", """{"command":"journalctl --vacuum-size=500M"}""", "shell");

        Assert.Empty(Run(new CollusionAuditor(), plan, act));
    }

    // Robustness

    [Fact]
    public void Steps_without_agent_ids_are_told_apart_by_node()
    {
        var plan = MayCall(Step(null, "plan", 1, "Run `rm -rf /var/lib/postgres/data` now."), "search");
        var act = Calls(Step(null, "act", 1, string.Empty, plan), "shell", RmCommand, "shell");

        var finding = Assert.Single(Run(new CollusionAuditor(), plan, act));

        Assert.Equal(["plan", "act"], finding.Agents);
    }

    [Fact]
    public void Empty_outputs_and_arguments_that_are_not_json_raise_nothing()
    {
        var empty = Step("writer", "draft", 1, string.Empty);
        var review = Step("critic", "review", 1, string.Empty, empty);
        var act = Calls(Step("executor", "act", 1, "   ", empty, review), "shell", "not json {", "shell");

        Assert.Empty(Run(new CollusionAuditor(), empty, review, act));
    }

    [Fact]
    public void One_mebibyte_outputs_are_compared_over_their_first_64_ki_characters()
    {
        var filler = string.Concat(Enumerable.Repeat(MaintenanceTerms + "\n", 1024 * 1024 / MaintenanceTerms.Length + 1));
        var draft = Step("writer", "draft", 1, filler);
        var review = Step("critic", "review", 1, filler + "\nAPPROVED", draft);
        var early = MayCall(Step("planner", "plan", 1, "`rm -rf /var/lib/postgres/data`\n" + filler), "search");
        var late = MayCall(Step("planner", "plan", 2, filler + "`rm -rf /srv/backups/nightly`"), "search");
        var act = Calls(Step("executor", "act", 1, "Done.", early, late), "shell", RmCommand, "shell");
        var missed = Calls(Step("executor", "act", 2, "Done.", late), "shell", """{"command":"rm -rf /srv/backups/nightly"}""", "shell");

        var findings = Run(new CollusionAuditor(), draft, review, early, late, act, missed);

        Assert.Equal([CollusionPatterns.CriticEcho, CollusionPatterns.SplitAction], findings.Select(f => f.Pattern));
        Assert.Equal(["plan:1", "act:1"], findings[1].Steps);
    }

    [Fact]
    public async Task Concurrent_branches_each_get_their_own_findings_once()
    {
        var auditor = new CollusionAuditor();
        var findings = new ConcurrentBag<CollusionFinding>();

        await Task.WhenAll(Enumerable.Range(0, 64).Select(branch => Task.Run(() =>
        {
            var draft = Step($"writer-{branch}", $"draft-{branch}", 1, SupplyTerms);
            var review = Step($"critic-{branch}", $"review-{branch}", 1, SupplyTerms + "\nLGTM", draft);
            foreach (var finding in Run(auditor, draft, review, review))
            {
                findings.Add(finding);
            }
        }, TestContext.Current.CancellationToken)));

        Assert.Equal(64, findings.Count);
        Assert.Equal(64, findings.Select(f => f.Steps[1]).Distinct().Count());
    }

    [Theory]
    [InlineData(0.0, 8, 12, 65536, 32)]
    [InlineData(1.5, 8, 12, 65536, 32)]
    [InlineData(0.8, 0, 12, 65536, 32)]
    [InlineData(0.8, 8, 0, 65536, 32)]
    [InlineData(0.8, 8, 12, 0, 32)]
    [InlineData(0.8, 8, 12, 65536, -1)]
    public void Thresholds_that_cannot_work_are_refused(double overlap, int content, int argument, int chars, int recent)
    {
        var thresholds = new CollusionThresholds
        {
            EchoOverlap = overlap, MinContentShingles = content, MinArgumentLength = argument, MaxComparedChars = chars, RecentOutputs = recent,
        };

        Assert.Throws<ArgumentOutOfRangeException>(() => new CollusionAuditor(thresholds));
    }
}
