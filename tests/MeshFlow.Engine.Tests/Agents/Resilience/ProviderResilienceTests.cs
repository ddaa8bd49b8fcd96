using MeshFlow.Agents;
using MeshFlow.Agents.Resilience;
using MeshFlow.Events;
using MeshFlow.Execution;
using MeshFlow.Governance;
using MeshFlow.Ledger;
using MeshFlow.Runs;
using MeshFlow.Tests.Support;
using MeshFlow.Workflows;

namespace MeshFlow.Tests.Agents.Resilience;

/// <summary>Retries and the per-connection circuit breaker, against a real OpenAI-compatible server that fails on cue.</summary>
public sealed class ProviderResilienceTests
{
    private const string Key = "sk-resilience-5e7d1a9c";

    private static MeshFlowEngine Engine(FakeOpenAiServer server, ProviderResilienceOptions resilience, AuditLedger? ledger = null)
    {
        var options = new MeshFlowEngineOptions
        {
            Llm = LlmConnection.Parse($"Provider=openai;Endpoint={server.Endpoint};Key={Key};Model=gpt-4o-mini"),
            Ledger = ledger,
        };
        options.Providers.Resilience = resilience;
        return new MeshFlowEngine(options);
    }

    private static Workflow OneAgent() => new WorkflowBuilder("resilient").AddAgent("writer", "Write.").Build();

    [Fact]
    public async Task A_transient_server_error_before_the_first_token_is_retried_and_the_step_succeeds()
    {
        await using var server = await FakeOpenAiServer.StartAsync(Key, ["All", " good"]);
        // The direct stream and the OpenAI client behind it each send one request of a failed attempt.
        server.FailNext = 2;
        var engine = Engine(server, new ProviderResilienceOptions { MaxRetries = 2, RetryDelay = TimeSpan.Zero });

        var result = await engine.RunAsync(OneAgent(), "x");

        Assert.Equal(RunStatus.Completed, result.Status);
        Assert.Equal("All good", result.Output);
        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public async Task A_stream_that_breaks_after_an_empty_first_update_but_before_its_first_token_is_retried()
    {
        await using var server = await FakeOpenAiServer.StartAsync(Key, ["All", " good"]);
        // The role chunk goes out, then the connection drops: nothing was said yet, so the call is asked again.
        server.BreakAfterChunks = 0;
        var engine = Engine(server, new ProviderResilienceOptions { MaxRetries = 2, RetryDelay = TimeSpan.Zero });

        var capture = await RunCapture.RunAsync(engine, OneAgent(), "x");

        Assert.Equal(RunStatus.Completed, capture.Result.Status);
        Assert.Equal("All good", capture.Result.Output);
        Assert.Empty(capture.Of<ErrorEvent>());
        Assert.Equal(2, server.Requests.Count);
    }

    [Theory]
    [InlineData(null, 1_000_000L, null)]
    [InlineData(4_000, 1_000_000L, 4_000)]
    [InlineData(null, 16_384L, 16_384)]
    [InlineData(null, 900L, 900)]
    [InlineData(2_000, 900L, 900)]
    [InlineData(null, 0L, 1)]
    public void A_calls_output_limit_is_the_budgets_only_below_every_models_own(int? node, long budgetLeft, int? expected) =>
        Assert.Equal(expected, MeshFlow.Steps.OutputLimit.For(node, budgetLeft));

    [Fact]
    public async Task A_refused_key_is_not_retried()
    {
        await using var server = await FakeOpenAiServer.StartAsync("sk-the-right-key-000", ["never"]);
        var engine = Engine(server, new ProviderResilienceOptions { MaxRetries = 3, RetryDelay = TimeSpan.Zero });

        var result = await engine.RunAsync(OneAgent(), "x");

        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.Contains("'llm'", result.Error!.Message, StringComparison.Ordinal);
        Assert.Contains("401", result.Error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Key, result.Error.Message, StringComparison.Ordinal);
        // One attempt: the direct stream's request and the OpenAI client's, nothing more.
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task A_rate_limit_asking_for_a_longer_wait_than_the_cap_is_not_sat_out()
    {
        await using var server = await FakeOpenAiServer.StartAsync(Key, ["late"]);
        server.FailNext = 100;
        server.FailureStatus = 429;
        server.RetryAfter = "120";
        var engine = Engine(server, new ProviderResilienceOptions { MaxRetries = 3, RetryDelay = TimeSpan.Zero, MaxRetryDelay = TimeSpan.FromSeconds(5) });

        var result = await engine.RunAsync(OneAgent(), "x");

        Assert.Equal(RunStatus.Failed, result.Status);
        Assert.Contains("429", result.Error!.Message, StringComparison.Ordinal);
        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task Repeated_failures_open_the_connections_breaker_and_the_next_step_is_blocked_without_calling_the_provider()
    {
        await using var ledger = await TestLedger.OpenSqliteAsync();
        await using var server = await FakeOpenAiServer.StartAsync(Key, ["never"]);
        server.FailNext = 1_000;
        var engine = Engine(server, new ProviderResilienceOptions
        {
            MaxRetries = 0, MinimumThroughput = 2, FailureRatio = 0.5, BreakDuration = TimeSpan.FromMinutes(5),
        }, ledger.Ledger);

        Assert.Equal(RunStatus.Failed, (await engine.RunAsync(OneAgent(), "one")).Status);
        Assert.Equal(RunStatus.Failed, (await engine.RunAsync(OneAgent(), "two")).Status);
        var before = server.Requests.Count;
        var blocked = await engine.RunAsync(OneAgent(), "three");

        Assert.Equal(before, server.Requests.Count);
        Assert.Equal(RunStatus.Blocked, blocked.Status);
        var step = Assert.Single(blocked.Steps);
        Assert.Equal(BlockReason.CircuitBreaker, step.BlockReason);
        Assert.Contains("circuit breaker of LLM connection 'llm' is open", step.BlockDetail, StringComparison.Ordinal);
        var record = (await ledger.Store.ReadRecordsAsync("default", blocked.RunId)).Single(r => r.Kind == LedgerRecordKinds.Step);
        Assert.Equal("circuit_breaker", record.BlockReason);
    }

    [Fact]
    public async Task A_stream_that_breaks_after_its_first_token_fails_the_step_and_says_so()
    {
        await using var server = await FakeOpenAiServer.StartAsync(Key, ["one", " two", " three"]);
        server.BreakAfterChunks = 2;
        var engine = Engine(server, new ProviderResilienceOptions { MaxRetries = 2, RetryDelay = TimeSpan.Zero });

        var capture = await RunCapture.RunAsync(engine, OneAgent(), "x");

        Assert.Equal(RunStatus.Failed, capture.Result.Status);
        Assert.Contains("broke after", capture.Result.Error!.Message, StringComparison.Ordinal);
        Assert.NotEmpty(capture.Of<TokenDeltaEvent>());
        // Nothing retried it behind the listeners' backs.
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task Under_retry_interrupted_streams_a_broken_stream_runs_the_step_again_whole_and_an_event_voids_its_deltas()
    {
        await using var server = await FakeOpenAiServer.StartAsync(Key, ["one", " two", " three"]);
        server.BreakAfterChunks = 2;
        var engine = Engine(server, new ProviderResilienceOptions { MaxRetries = 2, RetryDelay = TimeSpan.Zero });
        var workflow = new WorkflowBuilder("retried").AddAgent("writer", "Write.")
            .WithPolicy(Policy.ForMode(PolicyModes.Standard) with { RetryInterruptedStreams = true }).Build();

        var capture = await RunCapture.RunAsync(engine, workflow, "x");

        Assert.Equal(RunStatus.Completed, capture.Result.Status);
        Assert.Equal("one two three", capture.Result.Output);
        var voided = Assert.Single(capture.Of<ErrorEvent>());
        Assert.Equal(RunErrorCodes.StreamInterrupted, voided.Code);
        Assert.Contains("void", voided.Message, StringComparison.Ordinal);
        Assert.Equal(2, server.Requests.Count);
    }
}
