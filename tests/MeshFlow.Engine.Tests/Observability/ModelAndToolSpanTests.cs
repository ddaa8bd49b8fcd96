using System.Diagnostics;
using System.Runtime.CompilerServices;
using MeshFlow.Execution;
using MeshFlow.Observability;
using MeshFlow.Runs;
using MeshFlow.Tests.Support;
using MeshFlow.Workflows;
using Microsoft.Extensions.AI;

namespace MeshFlow.Tests.Observability;

/// <summary>Model calls and tool calls as spans with the OpenTelemetry GenAI conventions.</summary>
public sealed class ModelAndToolSpanTests
{
    [Fact]
    public async Task A_model_call_is_a_chat_span_under_its_step_with_model_usage_and_finish_reason()
    {
        using var spans = new SpanCollector();
        var engine = new MeshFlowEngine();
        var workflow = new WorkflowBuilder("traced")
            .AddNode(new AgentNode("writer") { ChatClient = new UsageModel("gpt-test", "Drafted.") })
            .Build();

        var capture = await RunCapture.RunAsync(engine, workflow, "Draft a clause.");
        Assert.Equal(RunStatus.Completed, capture.Result.Status);

        var chat = Assert.Single(spans.Named("chat gpt-test"));
        Assert.Equal(ActivityKind.Client, chat.Kind);
        Assert.Equal(GenAiTags.ChatOperation, chat.GetTagItem(GenAiTags.OperationName));
        Assert.Equal("test-provider", chat.GetTagItem(GenAiTags.ProviderName));
        Assert.Equal("gpt-test", chat.GetTagItem(GenAiTags.RequestModel));
        Assert.Equal("gpt-test-2026", chat.GetTagItem(GenAiTags.ResponseModel));
        Assert.Equal(12, Convert.ToInt32(chat.GetTagItem(GenAiTags.InputTokens), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(3, Convert.ToInt32(chat.GetTagItem(GenAiTags.OutputTokens), System.Globalization.CultureInfo.InvariantCulture));
        Assert.Contains("stop", chat.GetTagItem(GenAiTags.FinishReasons)?.ToString(), StringComparison.Ordinal);

        var step = Assert.Single(spans.Named(ActivityNames.Step));
        Assert.Equal(step.SpanId, chat.ParentSpanId);
        Assert.Single(spans.Named(ActivityNames.Run));
    }

    [Fact]
    public async Task The_built_in_models_are_traced_too()
    {
        using var spans = new SpanCollector();
        var workflow = new WorkflowBuilder("builtin")
            .AddNode(new AgentNode("writer") { Model = "offline", Instructions = "Draft." })
            .AddNode(new AgentNode("critic") { Model = "scripted", Responses = ["APPROVED"] })
            .AddEdge("writer", "critic")
            .Build();

        var capture = await RunCapture.RunAsync(new MeshFlowEngine(), workflow, "NDA");

        Assert.Equal(RunStatus.Completed, capture.Result.Status);
        Assert.Single(spans.Named("chat offline"));
        Assert.Single(spans.Named("chat scripted"));
    }

    [Fact]
    public async Task An_agents_tool_call_is_an_execute_tool_span_without_its_arguments_or_result()
    {
        using var spans = new SpanCollector();
        var lookup = AIFunctionFactory.Create((string client) => "Account of " + client + ": balance 4100", new AIFunctionFactoryOptions { Name = "lookup" });
        var workflow = new WorkflowBuilder("tools")
            .AddNode(new AgentNode("clerk")
            {
                ChatClient = ToolCallingModel.Calling("lookup", new Dictionary<string, object?> { ["client"] = "Northwind Traders" }),
                Tools = [lookup],
            })
            .Build();

        var capture = await RunCapture.RunAsync(new MeshFlowEngine(), workflow, "Check the account.");

        Assert.Equal(RunStatus.Completed, capture.Result.Status);
        var tool = Assert.Single(spans.Named("execute_tool lookup"));
        Assert.Equal(GenAiTags.ExecuteToolOperation, tool.GetTagItem(GenAiTags.OperationName));
        Assert.Equal("lookup", tool.GetTagItem(GenAiTags.ToolName));
        Assert.Equal("call-1", tool.GetTagItem(GenAiTags.ToolCallId));
        var text = spans.Text();
        Assert.DoesNotContain("Northwind", text, StringComparison.Ordinal);
        Assert.DoesNotContain("balance 4100", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tool_nodes_call_is_an_execute_tool_span_and_a_failing_tool_marks_it_failed()
    {
        using var spans = new SpanCollector();
        var stamp = AIFunctionFactory.Create((string input) => "stamped " + input, new AIFunctionFactoryOptions { Name = "stamp" });
        var broken = AIFunctionFactory.Create(string (string input) => throw new InvalidOperationException("disk full at " + input),
            new AIFunctionFactoryOptions { Name = "broken" });

        var ok = await RunCapture.RunAsync(new MeshFlowEngine(), new WorkflowBuilder("stamp").AddNode(new ToolNode("stamp", stamp)).Build(), "Memo 7");
        var failed = await RunCapture.RunAsync(new MeshFlowEngine(), new WorkflowBuilder("broken").AddNode(new ToolNode("broken", broken)).Build(), "Memo 8");

        Assert.Equal(RunStatus.Completed, ok.Result.Status);
        Assert.Equal(RunStatus.Failed, failed.Result.Status);
        var span = Assert.Single(spans.Named("execute_tool stamp"));
        Assert.Equal(("stamp", GenAiTags.ExecuteToolOperation), (span.GetTagItem(GenAiTags.ToolName), span.GetTagItem(GenAiTags.OperationName)));
        Assert.NotNull(span.GetTagItem(GenAiTags.ToolCallId));
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
        var failedSpan = Assert.Single(spans.Named("execute_tool broken"));
        Assert.Equal(ActivityStatusCode.Error, failedSpan.Status);
        Assert.Equal(typeof(InvalidOperationException).FullName, failedSpan.GetTagItem("error.type"));
        // The tool's input and its exception's message stay out of its span (the run span's status carries the run's
        // error, cleaned as the run's sinks are).
        Assert.All([span, failedSpan], s => Assert.DoesNotContain("Memo", string.Join("\n", s.TagObjects.Select(t => t.Value)) + s.StatusDescription, StringComparison.Ordinal));
    }

    /// <summary>A provider-like model: metadata with a provider and model, a response model, usage and a finish reason.</summary>
    private sealed class UsageModel(string model, string answer) : IChatClient
    {
        public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default) =>
            GetStreamingResponseAsync(messages, options, cancellationToken).ToChatResponseAsync(cancellationToken);

        public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
            [EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            await Task.Yield();
            yield return new ChatResponseUpdate(ChatRole.Assistant, answer) { ModelId = model + "-2026" };
            yield return new ChatResponseUpdate
            {
                ModelId = model + "-2026", FinishReason = ChatFinishReason.Stop,
                Contents = [new UsageContent(new UsageDetails { InputTokenCount = 12, OutputTokenCount = 3, TotalTokenCount = 15 })],
            };
        }

        public object? GetService(Type serviceType, object? serviceKey = null) =>
            serviceType == typeof(ChatClientMetadata) ? new ChatClientMetadata("test-provider", defaultModelId: model) : null;

        public void Dispose()
        {
        }
    }
}
