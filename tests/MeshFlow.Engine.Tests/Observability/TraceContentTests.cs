using MeshFlow.Execution;
using MeshFlow.Hosting;
using MeshFlow.Observability;
using MeshFlow.Runs;
using MeshFlow.Tests.Support;
using MeshFlow.Workflows;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;

namespace MeshFlow.Tests.Observability;

/// <summary>Prompts and completions in spans: absent by default; with MESHFLOW_TRACE_CONTENT, present and scrubbed.</summary>
public sealed class TraceContentTests
{
    // Built from parts so no scanner of this repository mistakes it for a real key.
    private static readonly string ApiKey = "sk-proj-" + "T3BlbkFJ" + "q8Xw2Lm9Rt4Vz7Kp1Hs6Dn3Gb5Yc0Ef";
    private const string Ssn = "123-45-6789";
    private const string ConfiguredSecret = "corp-vault-passphrase-77";
    private const string Marker = "Quarterly indemnity review";

    private static string Prompt => $"{Marker} for the patient with SSN {Ssn}; the vendor key is {ApiKey} and the vault says {ConfiguredSecret}.";

    private static Workflow Workflow(DelegateChatClient model, AIFunction tool) => new WorkflowBuilder("content")
        .AddNode(new AgentNode("clerk") { ChatClient = model, Tools = [tool] })
        .Build();

    private static AIFunction Tool() => AIFunctionFactory.Create((string note) => "Filed: " + note, new AIFunctionFactoryOptions { Name = "file" });

    [Fact]
    public async Task By_default_no_prompt_completion_or_tool_content_is_in_any_span()
    {
        using var spans = new SpanCollector(new TraceContentScrubber());
        var model = ToolCallingModel.Calling("file", new Dictionary<string, object?> { ["note"] = Marker + " filed" }, answer: Marker + " answered: ");

        var capture = await RunCapture.RunAsync(new MeshFlowEngine(), Workflow(model, Tool()), Prompt);

        Assert.Equal(RunStatus.Completed, capture.Result.Status);
        Assert.NotEmpty(spans.Named("execute_tool file"));
        Assert.Contains(spans.Spans, s => (string?)s.GetTagItem(GenAiTags.OperationName) == GenAiTags.ChatOperation);
        var text = spans.Text();
        Assert.DoesNotContain(Marker, text, StringComparison.Ordinal);
        Assert.DoesNotContain(Ssn, text, StringComparison.Ordinal);
        Assert.DoesNotContain("gen_ai.input.messages", text, StringComparison.Ordinal);
        Assert.DoesNotContain("gen_ai.output.messages", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_content_on_spans_carry_the_prompt_with_secrets_and_phi_scrubbed()
    {
        var options = new MeshFlowEngineOptions { Providers = { TraceContent = true } };
        options.Secrets.Add(ConfiguredSecret);
        var engine = new MeshFlowEngine(options);
        using var spans = new SpanCollector(new TraceContentScrubber(() => [ConfiguredSecret]));
        var model = ToolCallingModel.Calling("file", new Dictionary<string, object?> { ["note"] = "SSN " + Ssn }, answer: Marker + " answered: ");

        var capture = await RunCapture.RunAsync(engine, Workflow(model, Tool()), Prompt);

        Assert.Equal(RunStatus.Completed, capture.Result.Status);
        var chat = spans.Spans.First(s => (string?)s.GetTagItem(GenAiTags.OperationName) == GenAiTags.ChatOperation);
        var input = Assert.IsType<string>(chat.GetTagItem("gen_ai.input.messages"));
        Assert.Contains(Marker, input, StringComparison.Ordinal);
        Assert.Contains("[PHI-REDACTED:SSN]", input, StringComparison.Ordinal);
        Assert.Contains("[SECRET-REDACTED:", input, StringComparison.Ordinal);
        Assert.Contains(spans.Spans, s => s.GetTagItem("gen_ai.output.messages") is string output && output.Contains(Marker, StringComparison.Ordinal));
        Assert.Contains(spans.Named("execute_tool file"), s => s.GetTagItem("gen_ai.tool.call.arguments") is string arguments
            && arguments.Contains("[PHI-REDACTED:SSN]", StringComparison.Ordinal));

        var text = spans.Text();
        Assert.DoesNotContain(Ssn, text, StringComparison.Ordinal);
        Assert.DoesNotContain(ApiKey, text, StringComparison.Ordinal);
        Assert.DoesNotContain(ConfiguredSecret, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_content_on_but_no_scrubber_the_content_is_raw_which_is_why_the_service_defaults_run_it_first()
    {
        // The failure mode the scrubber exists for: MEAI records the prompt as it is.
        var engine = new MeshFlowEngine(new MeshFlowEngineOptions { Providers = { TraceContent = true } });
        using var spans = new SpanCollector();
        var model = DelegateChatClient.FromChunks("Noted.");

        await RunCapture.RunAsync(engine, new WorkflowBuilder("raw").AddNode(new AgentNode("clerk") { ChatClient = model }).Build(), Prompt);

        Assert.Contains(Ssn, spans.Text(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, false)]
    [InlineData("", false)]
    [InlineData("false", false)]
    [InlineData("true", true)]
    [InlineData("True", true)]
    public void The_setting_is_off_unless_true(string? value, bool expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new(TraceContentSetting.Key, value)]).Build();
        Assert.Equal(expected, TraceContentSetting.Read(configuration));
    }

    [Fact]
    public void A_malformed_setting_is_refused_with_its_name()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([new(TraceContentSetting.Key, "yes")]).Build();
        var error = Assert.Throws<FormatException>(() => TraceContentSetting.Read(configuration));
        Assert.Contains("MESHFLOW_TRACE_CONTENT", error.Message, StringComparison.Ordinal);
    }
}
