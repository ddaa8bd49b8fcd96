using MeshFlow.Agents;
using MeshFlow.Events;
using MeshFlow.Execution;
using MeshFlow.Governance;
using MeshFlow.Ledger;
using MeshFlow.Runs;
using MeshFlow.Tests.Support;
using MeshFlow.Workflows;

namespace MeshFlow.Tests.Governance.Checks;

public sealed class UncertaintyCheckTests
{
    private static Workflow OneAgent(string answer, string mode) => new WorkflowBuilder("unsure")
        .AddNode(new AgentNode("clinician") { ChatClient = DelegateChatClient.FromChunks(answer) })
        .WithPolicy(Policy.ForMode(mode))
        .Build();

    [Fact]
    public async Task Every_agent_step_has_an_uncertainty_score_in_its_record_header_its_event_and_its_result()
    {
        await using var ledger = await TestLedger.OpenSqliteAsync();
        var engine = new MeshFlowEngine(new MeshFlowEngineOptions { Ledger = ledger.Ledger });

        var capture = await RunCapture.RunAsync(engine, OneAgent("The dose is 5 mg twice daily.", PolicyModes.Hipaa), "x");

        Assert.Equal(RunStatus.Completed, capture.Result.Status);
        var score = capture.Result.Steps[0].Uncertainty;
        Assert.NotNull(score);
        Assert.InRange(score.Value, 0, 0.3);
        Assert.Equal(score, Assert.Single(capture.Of<StepEndEvent>()).Uncertainty);
        var record = (await ledger.Store.ReadRecordsAsync(RunOptions.DefaultTenant, capture.Result.RunId)).Single(r => r.Kind == LedgerRecordKinds.Step);
        Assert.Equal(score, record.Uncertainty);
        Assert.Equal("heuristic", LedgerPayloads.ReadStep(record.Payload).Uncertainty!.Source);
    }

    [Fact]
    public async Task A_hedging_answer_above_the_threshold_is_escalated_with_reason_uncertainty()
    {
        var capture = await RunCapture.RunAsync(new MeshFlowEngine(),
            OneAgent("I'm not sure, but I think it might possibly be 5 mg; perhaps check with someone.", PolicyModes.Hipaa), "x");

        Assert.Equal(RunStatus.Paused, capture.Result.Status);
        var step = Assert.Single(capture.Result.Steps);
        Assert.Equal((Verdict.Escalate, BlockReason.Uncertainty), (step.Verdict, step.BlockReason));
        Assert.True(step.Uncertainty > 0.7);
        Assert.Contains("is above the policy's threshold of 0.70", step.BlockDetail, StringComparison.Ordinal);
        Assert.Equal(BlockReason.Uncertainty, Assert.Single(capture.Of<HitlPauseEvent>()).BlockReason);
    }

    [Fact]
    public async Task The_same_answer_stands_where_the_policy_does_not_look_at_uncertainty()
    {
        var result = await new MeshFlowEngine().RunAsync(
            OneAgent("I'm not sure, but I think it might possibly be 5 mg; perhaps check with someone.", PolicyModes.Standard), "x");

        Assert.Equal(RunStatus.Completed, result.Status);
        Assert.True(result.Steps[0].Uncertainty > 0.7);
    }

    private static async Task<(RunResult Result, bool AskedForLogProbs)> ProviderRunAsync(double tokenLogProb, string mode)
    {
        await using var server = await FakeOpenAiServer.StartAsync("k", ["The ", "dose ", "is ", "5 ", "mg."], tokenLogProbability: tokenLogProb);
        var engine = new MeshFlowEngine(new MeshFlowEngineOptions
        {
            Llm = LlmConnection.Parse($"Provider=openai;Endpoint={server.Endpoint};Key=k;Model=gpt-4o-mini"),
        });
        var workflow = new WorkflowBuilder("provider").AddNode(new AgentNode("clinician")).WithPolicy(Policy.ForMode(mode)).Build();

        var result = await engine.RunAsync(workflow, "What is the dose?");
        return (result, server.Requests.Single()["logprobs"]?.GetValue<bool>() == true);
    }

    [Fact]
    public async Task A_provider_model_is_asked_for_log_probabilities_where_the_policy_has_a_threshold_and_they_score_the_step()
    {
        var (confident, asked) = await ProviderRunAsync(-0.01, PolicyModes.Hipaa);
        var (unsure, _) = await ProviderRunAsync(-2.5, PolicyModes.Hipaa);

        Assert.True(asked);
        Assert.True(confident.Status == RunStatus.Completed, confident.Error?.Message);
        Assert.InRange(confident.Steps[0].Uncertainty!.Value, 0, 0.1);
        Assert.Equal(RunStatus.Paused, unsure.Status);
        Assert.Equal(BlockReason.Uncertainty, unsure.Steps[0].BlockReason);
        Assert.Contains("from logprobs", unsure.Steps[0].BlockDetail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Where_the_score_decides_nothing_no_log_probabilities_are_asked_for_and_the_text_scores_the_step()
    {
        var (result, asked) = await ProviderRunAsync(-2.5, PolicyModes.Standard);

        Assert.False(asked);
        Assert.Equal(RunStatus.Completed, result.Status);
        Assert.InRange(result.Steps[0].Uncertainty!.Value, 0, 0.3);
    }
}
