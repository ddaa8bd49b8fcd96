using MeshFlow.Agents;
using MeshFlow.Agents.Resilience;
using MeshFlow.Declarative;
using MeshFlow.Execution;
using MeshFlow.Runs;
using MeshFlow.Testing.Providers;

namespace MeshFlow.Tests.Examples;

/// <summary>The README's provider example, against local fakes of Anthropic (overloaded), OpenAI and Ollama.</summary>
public sealed class ProviderFailoverExampleTests
{
    [Fact]
    public async Task The_drafter_fails_over_from_an_overloaded_anthropic_to_openai_and_the_reviewer_runs_on_ollama()
    {
        const string key = "sk-example-31c9d2";
        await using var anthropic = await FakeAnthropicServer.StartAsync(key);
        var overloaded = AnthropicTurn.Error(529, "overloaded_error", "Overloaded");
        anthropic.Enqueue(overloaded, overloaded, overloaded);
        await using var openai = await new FakeGeminiServer { ExpectedKey = key, Models = ["gpt-4o-mini"], Deltas = ["Each party", " keeps it secret."] }.StartAsync();
        await using var ollama = await new FakeOllamaServer { Deltas = ["No", " term", " is", " set."] }.StartAsync();
        var options = new MeshFlowEngineOptions();
        options.Providers.Connections["anthropic"] = LlmConnection.Parse($"Provider=anthropic;Endpoint={anthropic.BaseAddress};Key={key};Model=claude-sonnet-4-5", "anthropic");
        options.Providers.Connections["openai"] = LlmConnection.Parse($"Provider=openai;Endpoint={openai.Endpoint};Key={key};Model=gpt-4o-mini", "openai");
        options.Providers.Connections["ollama"] = LlmConnection.Parse($"Provider=ollama;Endpoint={ollama.BaseAddress};Model=llama3.2", "ollama");
        options.Providers.Resilience = new ProviderResilienceOptions { MaxRetries = 2, RetryDelay = TimeSpan.Zero };

        var result = await new MeshFlowEngine(options).RunAsync(WorkflowYaml.LoadFile(Path.Combine("examples", "providers", "failover.yaml")), "A mutual NDA");

        Assert.Equal(RunStatus.Completed, result.Status);
        var drafter = result.Steps.Single(s => s.NodeId == "drafter");
        Assert.Equal(("gpt-4o-mini", "openai", "Each party keeps it secret."), (drafter.Model, drafter.Provider, drafter.Output));
        Assert.Equal([ModelAttempt.Failed, ModelAttempt.Answered], drafter.ModelAttempts!.Select(a => a.Outcome));
        Assert.Contains("overloaded", drafter.ModelAttempts![0].Detail, StringComparison.OrdinalIgnoreCase);
        // Retried twice before it was failed over.
        Assert.Equal(3, anthropic.Requests.Count);
        var reviewer = result.Steps.Single(s => s.NodeId == "reviewer");
        Assert.Equal(("llama3.2", "ollama", "No term is set.", 0m), (reviewer.Model, reviewer.Provider, reviewer.Output, reviewer.CostUsd));
        Assert.False(reviewer.Unpriced);
    }
}
