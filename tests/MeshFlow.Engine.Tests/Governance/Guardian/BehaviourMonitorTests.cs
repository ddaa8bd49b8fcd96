using MeshFlow.Governance.Guardian;

namespace MeshFlow.Tests.Governance.Guardian;

public sealed class BehaviourMonitorTests
{
    // About 100 words, so that one changed word keeps two passes above 0.95 alike and one rewritten sentence does not.
    private const string Summary =
        "Patient admitted on Monday with shortness of breath and a productive cough lasting four days. Chest radiograph " +
        "showed right lower lobe consolidation without effusion. Started on intravenous ceftriaxone with oral " +
        "azithromycin after blood cultures were drawn. Oxygen saturation improved from eighty nine to ninety five " +
        "percent on two litres by nasal cannula within a day. Renal function stayed normal throughout the stay and " +
        "no allergies are recorded. Plan switch to oral amoxicillin once afebrile for forty eight hours, repeat the " +
        "radiograph in six weeks, and book a respiratory clinic review. Smoking cessation advice was given to the " +
        "patient and family at the bedside today. Draft";

    [Fact]
    public void The_same_output_a_third_time_is_repeated_output_even_with_others_between()
    {
        var monitor = new BehaviourMonitor();

        Assert.Null(monitor.Observe("writer", "w:1", 1, "Clause 4 is fine.", 100, 0.01m));
        Assert.Null(monitor.Observe("writer", "w:2", 2, "Clause 5 needs a cap.", 100, 0.01m));
        Assert.Null(monitor.Observe("writer", "w:3", 3, "  Clause 4 is fine.\n", 100, 0.01m));
        var finding = monitor.Observe("writer", "w:4", 4, "Clause 4 is fine.", 100, 0.01m);

        Assert.NotNull(finding);
        Assert.Equal(BehaviourSignals.RepeatedOutput, finding.Signal);
        Assert.Contains("w:1", finding.Detail, StringComparison.Ordinal);
        Assert.Contains("3 times", finding.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Outputs_of_other_agents_are_not_repeats()
    {
        var monitor = new BehaviourMonitor();

        Assert.Null(monitor.Observe("writer", "w:1", 1, "Clause 4 is fine.", 100, 0));
        Assert.Null(monitor.Observe("critic", "c:1", 1, "Clause 4 is fine.", 100, 0));
        Assert.Null(monitor.Observe("critic", "c:2", 2, "Clause 4 is fine.", 100, 0));
        Assert.Null(monitor.Observe("writer", "w:2", 2, "Clause 4 is fine.", 100, 0));
    }

    [Fact]
    public void Outputs_that_differ_only_in_case_are_not_repeats_but_do_stall_a_loop()
    {
        var monitor = new BehaviourMonitor();

        Assert.Null(monitor.Observe("writer", "w:1", 1, "Clause 4 is fine.", 100, 0));
        Assert.Null(monitor.Observe("writer", "w:2", 2, "clause 4 is fine.", 100, 0));

        Assert.Equal(BehaviourSignals.StalledLoop, monitor.Observe("writer", "w:3", 3, "CLAUSE 4 IS FINE.", 100, 0)?.Signal);
    }

    [Fact]
    public void Empty_outputs_are_never_repeats()
    {
        var monitor = new BehaviourMonitor();

        for (var i = 1; i <= 5; i++)
        {
            Assert.Null(monitor.Observe("tool-agent", $"t:{i}", i, i % 2 == 0 ? string.Empty : "  \n", 100, 0));
        }
    }

    [Fact]
    public void Three_consecutive_passes_changing_one_word_are_a_stalled_loop()
    {
        var monitor = new BehaviourMonitor();

        Assert.Null(monitor.Observe("writer", "w:1", 1, Summary + " 1", 400, 0));
        Assert.Null(monitor.Observe("writer", "w:2", 2, Summary + " 2", 400, 0));
        var finding = monitor.Observe("writer", "w:3", 3, Summary + " 3", 400, 0);

        Assert.NotNull(finding);
        Assert.Equal(BehaviourSignals.StalledLoop, finding.Signal);
        Assert.Contains("w:1, w:2, w:3", finding.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("Patient", finding.Detail, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Passes_that_rewrite_a_sentence_each_are_progress_not_a_stalled_loop()
    {
        var monitor = new BehaviourMonitor();
        string[] closings =
        [
            "Discharge is expected on Thursday if the fever settles.",
            "Physiotherapy will assess mobility before any discharge decision.",
            "The family asked for a call from the consultant tomorrow morning.",
        ];

        for (var i = 0; i < closings.Length; i++)
        {
            Assert.Null(monitor.Observe("writer", $"w:{i + 1}", i + 1, Summary + " " + closings[i], 400, 0));
        }
    }

    [Fact]
    public void Near_identical_passes_at_iterations_that_do_not_follow_on_are_not_a_stalled_loop()
    {
        var monitor = new BehaviourMonitor();

        Assert.Null(monitor.Observe("writer", "w:1", 1, Summary + " 1", 400, 0));
        Assert.Null(monitor.Observe("writer", "w:2", 2, Summary + " 2", 400, 0));
        Assert.Null(monitor.Observe("writer", "w:4", 4, Summary + " 4", 400, 0));
    }

    [Fact]
    public void Identical_passes_are_reported_as_repeats_not_as_a_stalled_loop()
    {
        var monitor = new BehaviourMonitor();

        Assert.Null(monitor.Observe("writer", "w:1", 1, Summary, 400, 0));
        Assert.Null(monitor.Observe("writer", "w:2", 2, Summary, 400, 0));

        Assert.Equal(BehaviourSignals.RepeatedOutput, monitor.Observe("writer", "w:3", 3, Summary, 400, 0)?.Signal);
    }

    [Fact]
    public void More_than_five_times_the_agents_mean_tokens_is_a_token_spike_and_stays_out_of_the_mean()
    {
        var monitor = new BehaviourMonitor();
        Assert.Null(monitor.Observe("writer", "w:1", 1, "a", 100, 0));
        Assert.Null(monitor.Observe("writer", "w:2", 2, "b", 120, 0));
        Assert.Null(monitor.Observe("writer", "w:3", 3, "c", 80, 0));

        var spike = monitor.Observe("writer", "w:4", 4, "d", 501, 0);
        var again = monitor.Observe("writer", "w:5", 5, "e", 501, 0);

        Assert.Equal(BehaviourSignals.TokenSpike, spike?.Signal);
        Assert.Equal("step w:4 used 501 tokens, 5.0 times the agent's mean of 100 over 3 steps", spike?.Detail);
        Assert.Equal(BehaviourSignals.TokenSpike, again?.Signal);
    }

    [Fact]
    public void Five_times_the_mean_or_a_spike_before_the_baseline_is_not_a_token_spike()
    {
        var monitor = new BehaviourMonitor();
        Assert.Null(monitor.Observe("writer", "w:1", 1, "a", 100, 0));
        Assert.Null(monitor.Observe("writer", "w:2", 2, "b", 100, 0));
        Assert.Null(monitor.Observe("critic", "c:1", 1, "c", 9_000, 0));
        Assert.Null(monitor.Observe("writer", "w:3", 3, "d", 100, 0));

        Assert.Null(monitor.Observe("writer", "w:4", 4, "e", 500, 0));
        Assert.Null(monitor.Observe("writer", "w:5", 5, "f", 0, 0));
    }

    [Fact]
    public void A_step_far_dearer_than_the_agents_paid_steps_is_a_cost_spike()
    {
        var monitor = new BehaviourMonitor();
        Assert.Null(monitor.Observe("writer", "w:1", 1, "a", 100, 0.002m));
        Assert.Null(monitor.Observe("writer", "w:2", 2, "b", 100, 0));
        Assert.Null(monitor.Observe("writer", "w:3", 3, "c", 100, 0.002m));
        Assert.Null(monitor.Observe("writer", "w:4", 4, "d", 100, 0.002m));

        var spike = monitor.Observe("writer", "w:5", 5, "e", 100, 0.02m);

        Assert.Equal(BehaviourSignals.CostSpike, spike?.Signal);
        Assert.Equal("step w:5 cost 0.02 USD, 10.0 times the agent's mean of 0.002 USD over 3 paid steps", spike?.Detail);
    }

    [Fact]
    public void Only_the_first_signal_is_returned_in_the_order_repeated_stalled_token_cost()
    {
        var monitor = new BehaviourMonitor();
        Assert.Null(monitor.Observe("writer", "w:1", 1, "same", 100, 0.01m));
        Assert.Null(monitor.Observe("writer", "w:2", 2, "same", 100, 0.01m));
        Assert.Null(monitor.Observe("writer", "w:3", 3, "other", 100, 0.01m));

        Assert.Equal(BehaviourSignals.RepeatedOutput, monitor.Observe("writer", "w:4", 4, "same", 10_000, 1m)?.Signal);
        Assert.Equal(BehaviourSignals.TokenSpike, monitor.Observe("writer", "w:5", 5, "new", 10_000, 1m)?.Signal);
        Assert.Equal(BehaviourSignals.CostSpike, monitor.Observe("writer", "w:6", 6, "newer", 100, 1m)?.Signal);
    }

    [Fact]
    public void One_mebibyte_outputs_are_compared_by_their_head_and_repeated_by_their_whole_text()
    {
        var monitor = new BehaviourMonitor();
        var huge = string.Concat(Enumerable.Repeat(Summary + " ", 1024 * 1024 / Summary.Length + 1));

        Assert.Null(monitor.Observe("writer", "w:1", 1, huge, 100, 0));
        Assert.Null(monitor.Observe("writer", "w:2", 2, huge + "!", 100, 0));
        Assert.Equal(BehaviourSignals.StalledLoop, monitor.Observe("writer", "w:3", 3, huge + "?", 100, 0)?.Signal);
        Assert.Equal(BehaviourSignals.StalledLoop, monitor.Observe("writer", "w:4", 4, huge, 100, 0)?.Signal);
        Assert.Equal(BehaviourSignals.RepeatedOutput, monitor.Observe("writer", "w:5", 5, huge, 100, 0)?.Signal);
    }

    [Fact]
    public async Task Concurrent_branches_observing_one_agent_lose_no_observation()
    {
        var monitor = new BehaviourMonitor();
        var findings = 0;

        await Task.WhenAll(Enumerable.Range(0, 8).Select(branch => Task.Run(() =>
        {
            for (var i = 0; i < 200; i++)
            {
                if (monitor.Observe("writer", $"b{branch}:{i}", i, "the same answer", 50, 0.001m) is { } finding)
                {
                    Assert.Equal(BehaviourSignals.RepeatedOutput, finding.Signal);
                    Interlocked.Increment(ref findings);
                }
            }
        }, TestContext.Current.CancellationToken)));

        // Every observation after the second is a repeat, whichever branch made it.
        Assert.Equal((8 * 200) - 2, findings);
    }

    [Theory]
    [InlineData(1, 0.95, 3, 5.0, 3)]
    [InlineData(3, 0.0, 3, 5.0, 3)]
    [InlineData(3, 1.5, 3, 5.0, 3)]
    [InlineData(3, 0.95, 1, 5.0, 3)]
    [InlineData(3, 0.95, 3, 1.0, 3)]
    [InlineData(3, 0.95, 3, 5.0, 0)]
    public void Thresholds_that_cannot_work_are_refused(int repeat, double similarity, int passes, double factor, int baseline)
    {
        var thresholds = new BehaviourThresholds
        {
            RepeatCount = repeat, StalledSimilarity = similarity, StalledPasses = passes, SpikeFactor = factor, MinBaseline = baseline,
        };

        Assert.Throws<ArgumentOutOfRangeException>(() => new BehaviourMonitor(thresholds));
    }
}
