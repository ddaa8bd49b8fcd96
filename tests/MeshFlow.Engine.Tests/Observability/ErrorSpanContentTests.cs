using System.Diagnostics;
using System.Runtime.CompilerServices;
using MeshFlow.Execution;
using MeshFlow.Observability;
using MeshFlow.Runs;
using MeshFlow.Tests.Support;
using MeshFlow.Workflows;
using Microsoft.Extensions.AI;

namespace MeshFlow.Tests.Observability;

/// <summary>
/// A failed model call's exception message (which a provider's error can fill with the prompt or a masked key) never
/// reaches an exported span as it is: with content off it is replaced by the error's type, with content on it is scrubbed.
/// </summary>
public sealed class ErrorSpanContentTests
{
    // Built from parts so no scanner of this repository mistakes it for a real key.
    private static readonly string ApiKey = "sk-proj-" + "T3BlbkFJ" + "q8Xw2Lm9Rt4Vz7Kp1Hs6Dn3Gb5Yc0Ef";
    private const string Ssn = "123-45-6789";
    private const string Marker = "Confidential merger memo";

    private static string Prompt => $"{Marker} for the patient with SSN {Ssn}; the vendor key is {ApiKey}.";

    [Fact]
    public async Task With_content_off_a_failed_model_calls_message_is_in_no_span()
    {
        using var spans = new SpanCollector(new TraceContentScrubber());

        var capture = await RunCapture.RunAsync(new MeshFlowEngine(), Workflow(), Prompt);

        Assert.Equal(RunStatus.Failed, capture.Result.Status);
        var chat = Assert.Single(spans.Spans, s => (string?)s.GetTagItem(GenAiTags.OperationName) == GenAiTags.ChatOperation);
        Assert.Equal(ActivityStatusCode.Error, chat.Status);
        Assert.Equal(typeof(ProviderRefusedException).FullName, chat.StatusDescription);
        var text = spans.Text();
        Assert.DoesNotContain(Marker, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Ssn, text, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKey, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_content_on_a_failed_model_calls_message_is_scrubbed()
    {
        var engine = new MeshFlowEngine(new MeshFlowEngineOptions { Providers = { TraceContent = true } });
        using var spans = new SpanCollector(new TraceContentScrubber(content: true));

        var capture = await RunCapture.RunAsync(engine, Workflow(), Prompt);

        Assert.Equal(RunStatus.Failed, capture.Result.Status);
        var chat = Assert.Single(spans.Spans, s => (string?)s.GetTagItem(GenAiTags.OperationName) == GenAiTags.ChatOperation);
        Assert.Equal(ActivityStatusCode.Error, chat.Status);
        var text = spans.Text();
        Assert.DoesNotContain(Ssn, text, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKey, text, StringComparison.Ordinal);
    }

    private static Workflow Workflow() => new WorkflowBuilder("refused")
        .AddNode(new AgentNode("clerk") { ChatClient = new DelegateChatClient((messages, _, ct) => Refuse(messages, ct)) })
        .Build();

    // The provider's error quotes the prompt it was sent, as some providers' validation errors do.
    private static async IAsyncEnumerable<ChatResponseUpdate> Refuse(IReadOnlyList<ChatMessage> messages, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await Task.Yield();
        cancellationToken.ThrowIfCancellationRequested();
        foreach (var message in messages)
        {
            throw new ProviderRefusedException("The provider refused: " + message.Text);
        }

        yield break;
    }

    private sealed class ProviderRefusedException(string message) : Exception(message);
}
