using MeshFlow.Agents;
using MeshFlow.Agents.Resilience;
using MeshFlow.Declarative;
using MeshFlow.Execution;
using MeshFlow.Governance;
using MeshFlow.Ledger;
using MeshFlow.Runs;
using MeshFlow.Tests.Support;

namespace MeshFlow.Tests.Agents.Resilience;

/// <summary>An agent's ordered model list: the step runs on the first model that answers, and its record says why.</summary>
public sealed class ModelFailoverTests
{
    private const string PrimaryKey = "sk-primary-0c4e8b2f";
    private const string BackupKey = "sk-backup-9a1d3e7b";

    private static MeshFlowEngine Engine(FakeOpenAiServer primary, FakeOpenAiServer backup, AuditLedger? ledger = null,
        ProviderResilienceOptions? resilience = null)
    {
        var options = new MeshFlowEngineOptions { Ledger = ledger };
        options.Providers.Connections["primary"] = LlmConnection.Parse($"Provider=openai;Endpoint={primary.Endpoint};Key={PrimaryKey};Model=gpt-4o", "primary");
        options.Providers.Connections["backup"] = LlmConnection.Parse($"Provider=openai;Endpoint={backup.Endpoint};Key={BackupKey};Model=gpt-4o-mini", "backup");
        options.Providers.Resilience = resilience ?? new ProviderResilienceOptions { MaxRetries = 1, RetryDelay = TimeSpan.Zero };
        return new MeshFlowEngine(options);
    }

    private const string Yaml = """
        name: failover
        nodes:
          - id: writer
            instructions: Write.
            model: [primary/gpt-4o, backup/gpt-4o-mini]
        """;

    [Fact]
    public async Task A_failing_first_model_hands_the_step_to_the_next_and_the_record_says_which_answered_and_why()
    {
        await using var ledger = await TestLedger.OpenSqliteAsync();
        await using var primary = await FakeOpenAiServer.StartAsync(PrimaryKey, ["from primary"]);
        await using var backup = await FakeOpenAiServer.StartAsync(BackupKey, ["from", " backup"]);
        primary.FailNext = 1_000;
        var engine = Engine(primary, backup, ledger.Ledger);

        var result = await engine.RunAsync(WorkflowYaml.Load(Yaml), "x");

        Assert.Equal(RunStatus.Completed, result.Status);
        Assert.Equal("from backup", result.Output);
        var step = Assert.Single(result.Steps);
        Assert.Equal("gpt-4o-mini", step.Model);
        Assert.Equal(ModelPricing.Defaults["gpt-4o-mini"].Cost(42, 2), step.CostUsd);
        Assert.Collection(step.ModelAttempts!,
            first =>
            {
                Assert.Equal(("gpt-4o", "llm-primary", ModelAttempt.Failed), (first.Model, first.Connection, first.Outcome));
                Assert.Contains("503", first.Detail, StringComparison.Ordinal);
            },
            second => Assert.Equal(("gpt-4o-mini", "llm-backup", ModelAttempt.Answered, (string?)null), (second.Model, second.Connection, second.Outcome, second.Detail)));
        var payload = LedgerPayloads.ReadStep((await ledger.Store.ReadRecordsAsync("default", result.RunId)).Single(r => r.Kind == LedgerRecordKinds.Step).Payload);
        Assert.Equal("gpt-4o-mini", payload.Model);
        Assert.Equal([ModelAttempt.Failed, ModelAttempt.Answered], payload.ModelAttempts!.Select(a => a.Outcome));
    }

    [Fact]
    public async Task A_first_model_refused_by_its_open_breaker_is_skipped_at_once()
    {
        await using var primary = await FakeOpenAiServer.StartAsync(PrimaryKey, ["never"]);
        await using var backup = await FakeOpenAiServer.StartAsync(BackupKey, ["backup"]);
        primary.FailNext = 1_000;
        var engine = Engine(primary, backup, resilience: new ProviderResilienceOptions
        {
            MaxRetries = 0, MinimumThroughput = 2, BreakDuration = TimeSpan.FromMinutes(5),
        });
        await engine.RunAsync(WorkflowYaml.Load(Yaml), "one");
        await engine.RunAsync(WorkflowYaml.Load(Yaml), "two");
        var before = primary.Requests.Count;

        var result = await engine.RunAsync(WorkflowYaml.Load(Yaml), "three");

        Assert.Equal(RunStatus.Completed, result.Status);
        Assert.Equal(before, primary.Requests.Count);
        Assert.Equal(ModelAttempt.CircuitOpen, Assert.Single(result.Steps).ModelAttempts![0].Outcome);
    }

    [Fact]
    public async Task Every_model_refused_by_its_breaker_blocks_the_step_with_reason_circuit_breaker()
    {
        await using var primary = await FakeOpenAiServer.StartAsync(PrimaryKey, ["never"]);
        await using var backup = await FakeOpenAiServer.StartAsync(BackupKey, ["never"]);
        primary.FailNext = 1_000;
        backup.FailNext = 1_000;
        var engine = Engine(primary, backup, resilience: new ProviderResilienceOptions
        {
            MaxRetries = 0, MinimumThroughput = 2, BreakDuration = TimeSpan.FromMinutes(5),
        });
        await engine.RunAsync(WorkflowYaml.Load(Yaml), "one");
        await engine.RunAsync(WorkflowYaml.Load(Yaml), "two");

        var result = await engine.RunAsync(WorkflowYaml.Load(Yaml), "three");

        Assert.Equal(RunStatus.Blocked, result.Status);
        var step = Assert.Single(result.Steps);
        Assert.Equal(BlockReason.CircuitBreaker, step.BlockReason);
        Assert.Contains("every model of the step's failover list", step.BlockDetail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_refused_key_on_the_first_model_is_not_failed_over()
    {
        await using var primary = await FakeOpenAiServer.StartAsync("sk-another-key-123", ["never"]);
        await using var backup = await FakeOpenAiServer.StartAsync(BackupKey, ["backup"]);
        var engine = Engine(primary, backup);

        var result = await engine.RunAsync(WorkflowYaml.Load(Yaml), "x");

        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.Contains("401", result.Error!.Message, StringComparison.Ordinal);
        Assert.Empty(backup.Requests);
    }

    [Fact]
    public async Task A_step_whose_model_broke_mid_stream_is_not_switched_to_the_next_model()
    {
        await using var primary = await FakeOpenAiServer.StartAsync(PrimaryKey, ["half", " an", " answer"]);
        await using var backup = await FakeOpenAiServer.StartAsync(BackupKey, ["backup"]);
        primary.BreakAfterChunks = 1;
        var engine = Engine(primary, backup);

        var result = await engine.RunAsync(WorkflowYaml.Load(Yaml), "x");

        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.Contains("broke after", result.Error!.Message, StringComparison.Ordinal);
        Assert.Empty(backup.Requests);
    }
}
