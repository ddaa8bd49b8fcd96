using System.Runtime.CompilerServices;
using System.Text.Json;
using MeshFlow.Events;
using MeshFlow.Execution;
using MeshFlow.Governance.Risk;
using MeshFlow.Ledger;
using MeshFlow.Runs;
using MeshFlow.Tests.Support;
using MeshFlow.Workflows;
using Microsoft.Extensions.AI;

namespace MeshFlow.Tests.Tools;

public sealed class ToolArgumentValidationTests
{
    private int _lookups;

    private AIFunction Lookup => AIFunctionFactory.Create((string clause, int limit = 5) =>
    {
        Interlocked.Increment(ref _lookups);
        return $"{limit} precedents for {clause}";
    }, "lookup");

    // Asks for the call given, then answers with the result it was given.
    private static DelegateChatClient Calling(FunctionCallContent call) => new((messages, _, ct) => AnswerAsync(messages, call, ct));

    private static DelegateChatClient Calling(string arguments) =>
        Calling(new FunctionCallContent("call-1", "lookup", JsonSerializer.Deserialize<Dictionary<string, object?>>(arguments)));

    private static async IAsyncEnumerable<ChatResponseUpdate> AnswerAsync(IReadOnlyList<ChatMessage> messages, FunctionCallContent call,
        [EnumeratorCancellation] CancellationToken ct)
    {
        await Task.Yield();
        ct.ThrowIfCancellationRequested();
        yield return messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>().FirstOrDefault() is { } result
            ? new ChatResponseUpdate(ChatRole.Assistant, $"told: {result.Result}")
            : new ChatResponseUpdate { Role = ChatRole.Assistant, Contents = [call] };
    }

    private static Workflow Researcher(DelegateChatClient model, AIFunction tool) =>
        new WorkflowBuilder("research").AddNode(new AgentNode("researcher") { ChatClient = model, Tools = [tool] }).Build();

    [Theory]
    [InlineData("""{"clause":"indemnity","limit":"ten"}""", "invalid arguments for tool 'lookup': /limit: Value is \"string\" but should be \"integer\"")]
    [InlineData("""{"limit":3}""", "invalid arguments for tool 'lookup': Required properties [\"clause\"] are not present")]
    [InlineData("""{"clause":["a","b"],"limit":2.5}""",
        "invalid arguments for tool 'lookup': /clause: Value is \"array\" but should be \"string\"; /limit: Value is \"number\" but should be \"integer\"")]
    public async Task Arguments_the_schema_does_not_allow_are_not_run_and_the_model_the_event_and_the_record_say_why(string arguments, string expected)
    {
        var model = Calling(arguments);
        await using var ledger = await TestLedger.OpenSqliteAsync();

        var capture = await RunCapture.RunAsync(new MeshFlowEngine(new MeshFlowEngineOptions { Ledger = ledger.Ledger }), Researcher(model, Lookup), "x");

        Assert.Equal(0, _lookups);
        Assert.Equal(RunStatus.Completed, capture.Result.Status);
        // The model's next turn is given the problem as the call's result, and may correct the call.
        var told = Assert.Single(model.Calls[1][^1].Contents.OfType<FunctionResultContent>());
        Assert.Equal(("call-1", expected), (told.CallId, told.Result as string));
        Assert.Equal($"told: {expected}", capture.Result.Output);

        var call = Assert.Single(capture.Of<ToolCallEvent>());
        var result = Assert.Single(capture.Of<ToolResultEvent>());
        Assert.Equal(JsonSerializer.Serialize(JsonSerializer.Deserialize<JsonElement>(arguments)), call.Arguments);
        Assert.Equal(expected, result.Result);
        Assert.Null(result.DurationMs);
        Assert.Equal(RiskTier.High, result.RiskTier);

        var step = (await ledger.Store.ReadRecordsAsync(RunOptions.DefaultTenant, capture.Result.RunId)).Single(r => r.Kind == LedgerRecordKinds.Step);
        var recorded = Assert.Single(LedgerPayloads.ReadStep(step.Payload).ToolCalls);
        Assert.Equal((call.Arguments, expected, null, RiskTier.High), (recorded.Arguments, recorded.Result, recorded.DurationMs, recorded.RiskTier));
    }

    [Fact]
    public async Task Arguments_a_provider_could_not_read_as_json_are_reported_naming_the_tool_and_never_reach_it()
    {
        // As a provider's adapter reports a malformed arguments string: no arguments, and the parse error.
        var call = FunctionCallContent.CreateFromParsedArguments("{\"clause\": \"indemn", "call-1", "lookup",
            static text => JsonSerializer.Deserialize<Dictionary<string, object?>>(text));
        Assert.NotNull(call.Exception);

        var capture = await RunCapture.RunAsync(new MeshFlowEngine(), Researcher(Calling(call), Lookup), "x");

        Assert.Equal(0, _lookups);
        var result = Assert.Single(capture.Of<ToolResultEvent>()).Result;
        Assert.StartsWith("invalid arguments for tool 'lookup': they are not valid JSON (", result, StringComparison.Ordinal);
        Assert.Equal(result, Assert.Single(Assert.Single(capture.Result.Steps).ToolCalls).Result);
    }

    [Fact]
    public async Task A_tool_whose_own_schema_is_not_valid_json_schema_is_not_run_and_the_result_names_it()
    {
        var broken = new BrokenSchema(Lookup, """{"type":"object","properties":{"clause":{"type":"strng"}}}""");

        var capture = await RunCapture.RunAsync(new MeshFlowEngine(), Researcher(Calling("""{"clause":"indemnity"}"""), broken), "x");

        Assert.Equal(0, _lookups);
        Assert.Equal(
            "tool 'lookup' was not run: its input schema is not a valid JSON Schema: 'strng' is not a valid JSON Schema value type (at /properties/clause/type)",
            Assert.Single(capture.Of<ToolResultEvent>()).Result);
    }

    [Fact]
    public async Task A_valid_call_runs_and_its_record_has_its_duration_and_risk_tier()
    {
        var capture = await RunCapture.RunAsync(new MeshFlowEngine(), Researcher(Calling("""{"clause":"indemnity","limit":2}"""), Lookup.WithRisk(RiskTier.Low)), "x");

        Assert.Equal((1, "told: 2 precedents for indemnity"), (_lookups, capture.Result.Output));
        var result = Assert.Single(capture.Of<ToolResultEvent>());
        Assert.True(result.DurationMs >= 0);
        Assert.Equal(RiskTier.Low, result.RiskTier);
        var recorded = Assert.Single(Assert.Single(capture.Result.Steps).ToolCalls);
        Assert.Equal((result.DurationMs, RiskTier.Low), (recorded.DurationMs, recorded.RiskTier));
    }

    [Fact]
    public async Task A_tool_nodes_arguments_the_schema_does_not_allow_fail_the_node_naming_the_tool()
    {
        var workflow = new WorkflowBuilder("tool-node")
            .AddNode(new ToolNode("find", Lookup) { Arguments = new Dictionary<string, object?> { ["clause"] = "termination", ["limit"] = "ten" } })
            .Build();

        var capture = await RunCapture.RunAsync(new MeshFlowEngine(), workflow, "x");

        Assert.Equal(0, _lookups);
        Assert.Equal(RunStatus.Failed, capture.Result.Status);
        Assert.Contains("invalid arguments for tool 'lookup': /limit: Value is \"string\" but should be \"integer\"", capture.Result.Error!.Message, StringComparison.Ordinal);
        Assert.StartsWith("invalid arguments for tool 'lookup'", Assert.Single(capture.Of<ToolResultEvent>()).Result, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tool_node_runs_with_the_input_the_engine_adds_though_its_schema_does_not_name_it_and_records_duration_and_tier()
    {
        var workflow = new WorkflowBuilder("tool-node")
            .AddNode(new ToolNode("find", Lookup.WithRisk(RiskTier.Medium)) { Arguments = new Dictionary<string, object?> { ["clause"] = "termination", ["limit"] = 2L } })
            .Build();

        var capture = await RunCapture.RunAsync(new MeshFlowEngine(), workflow, "x");

        Assert.Equal((RunStatus.Completed, "2 precedents for termination"), (capture.Result.Status, capture.Result.Output));
        var recorded = Assert.Single(Assert.Single(capture.Result.Steps).ToolCalls);
        Assert.True(recorded.DurationMs >= 0);
        Assert.Equal(RiskTier.Medium, recorded.RiskTier);
        Assert.Equal((recorded.DurationMs, RiskTier.Medium), (Assert.Single(capture.Of<ToolResultEvent>()).DurationMs, Assert.Single(capture.Of<ToolResultEvent>()).RiskTier));
    }

    // A tool written by hand whose schema is not one: nothing validated it on the way in.
    private sealed class BrokenSchema(AIFunction inner, string schema) : DelegatingAIFunction(inner)
    {
        public override JsonElement JsonSchema { get; } = JsonDocument.Parse(schema).RootElement.Clone();
    }
}
