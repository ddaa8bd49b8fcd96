using MeshFlow.Agents;
using MeshFlow.Agents.Providers;
using MeshFlow.Declarative;
using MeshFlow.Execution;
using MeshFlow.Governance;
using MeshFlow.Hosting;
using MeshFlow.Runs;
using MeshFlow.Workflows;
using Microsoft.Extensions.Configuration;

namespace MeshFlow.Tests.Agents;

/// <summary>How an agent's model names a connection, and what is refused before a run starts.</summary>
public sealed class ModelResolutionTests
{
    private static ChatModelCatalog Catalog(params (string Name, string Text)[] connections)
    {
        var providers = new ChatProviderOptions();
        foreach (var (name, text) in connections)
        {
            providers.Connections[name] = LlmConnection.Parse(text, name);
        }

        return new ChatModelCatalog(providers, PriceTable.Default);
    }

    private static readonly (string, string)[] Two =
    [
        (LlmConnection.DefaultName, "Provider=openai;Key=sk-default-123456;Model=gpt-4o-mini"),
        ("claude", "Provider=anthropic;Key=sk-ant-123456;Model=claude-haiku-4-5"),
    ];

    [Theory]
    [InlineData(null, "anthropic/claude-sonnet-4-5", "llm-claude", "anthropic", "claude-sonnet-4-5")]
    [InlineData(null, "claude/claude-sonnet-4-5", "llm-claude", "anthropic", "claude-sonnet-4-5")]
    [InlineData("anthropic", "claude-sonnet-4-5", "llm-claude", "anthropic", "claude-sonnet-4-5")]
    [InlineData("claude", null, "llm-claude", "anthropic", "claude-haiku-4-5")]
    [InlineData(null, "gpt-4o", "llm", "openai", "gpt-4o")]
    [InlineData(null, null, "llm", "openai", "gpt-4o-mini")]
    [InlineData(null, "meta-llama/Llama-3.3-70B", "llm", "openai", "meta-llama/Llama-3.3-70B")]
    public void A_model_names_its_connection_by_name_or_provider_kind_and_other_slashes_stay_in_the_model(
        string? provider, string? model, string connection, string kind, string id)
    {
        var resolved = Catalog(Two).Resolve(new AgentNode("a") { Provider = provider, Model = model });

        Assert.Equal((connection, kind, id), (resolved.Connection, resolved.Provider, resolved.ModelId));
    }

    [Fact]
    public void A_provider_without_a_connection_is_refused_naming_the_connection_string_to_set_and_those_configured()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            Catalog(Two).Resolve(new AgentNode("a") { Provider = "gemini", Model = "gemini-2.5-flash" }));

        Assert.Contains("ConnectionStrings:llm-gemini", error.Message, StringComparison.Ordinal);
        Assert.Contains("llm-claude (anthropic)", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-ant-123456", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_provider_kind_two_connections_share_must_be_named_by_connection()
    {
        var catalog = Catalog(Two.Append(("claude-eu", "Provider=anthropic;Key=sk-ant-654321;Model=claude-sonnet-4-5")).ToArray());

        var error = Assert.Throws<InvalidOperationException>(() => catalog.Resolve(new AgentNode("a") { Model = "anthropic/claude-sonnet-4-5" }));

        Assert.Contains("more than one LLM connection is", error.Message, StringComparison.Ordinal);
        Assert.Equal("llm-claude-eu", catalog.Resolve(new AgentNode("b") { Model = "claude-eu/claude-sonnet-4-5" }).Connection);
    }

    [Fact]
    public void An_unpriced_provider_model_is_a_problem_only_under_a_dollar_budget_and_a_connection_price_settles_it()
    {
        var catalog = Catalog(Two);
        var node = new AgentNode("writer") { Model = "my-finetune" };

        Assert.Null(catalog.Problem(node, Policy.ForMode(PolicyModes.Dev) with { MaxCostUsd = 0 }));
        var problem = catalog.Problem(node, Policy.ForMode(PolicyModes.Standard));
        Assert.Contains("model 'my-finetune'", problem, StringComparison.Ordinal);
        Assert.Contains("max_cost_usd", problem, StringComparison.Ordinal);

        var priced = Catalog((LlmConnection.DefaultName, "Provider=openai;Endpoint=http://localhost:8000/v1;Model=my-finetune;InputPrice=0.2;OutputPrice=0.4"));
        Assert.Null(priced.Problem(node, Policy.ForMode(PolicyModes.Standard)));
        Assert.Equal(0.4m, priced.Resolve(node).Pricing.OutputPerMillionUsd);
    }

    [Fact]
    public async Task An_unpriced_provider_model_under_a_dollar_budget_blocks_its_step_before_any_call()
    {
        var options = new MeshFlowEngineOptions { Llm = LlmConnection.Parse("Provider=openai;Endpoint=http://127.0.0.1:9/v1;Key=k;Model=my-finetune") };
        var engine = new MeshFlowEngine(options);

        var result = await engine.RunAsync(new WorkflowBuilder("unpriced").AddAgent("writer").Build(), "x");

        Assert.Equal(RunStatus.Blocked, result.Status);
        var step = Assert.Single(result.Steps);
        Assert.Equal(BlockReason.Budget, step.BlockReason);
        Assert.Contains("model 'my-finetune' of 'llm' has no price", step.BlockDetail, StringComparison.Ordinal);
    }

    [Fact]
    public void Yaml_names_a_provider_and_a_failover_list()
    {
        var workflow = WorkflowYaml.Load("""
            name: models
            nodes:
              - id: a
                provider: anthropic
                model: claude-sonnet-4-5
              - id: b
                model: [anthropic/claude-sonnet-4-5, openai/gpt-4o-mini]
            edges:
              - from: a
                to: b
            """);

        var a = (AgentNode)workflow.Nodes[0];
        var b = (AgentNode)workflow.Nodes[1];
        Assert.Equal(("anthropic", "claude-sonnet-4-5"), (a.Provider, a.Model));
        Assert.Equal("anthropic/claude-sonnet-4-5", b.Model);
        Assert.Equal(["openai/gpt-4o-mini"], b.FallbackModels);
    }

    [Theory]
    [InlineData("model: []", "'model' of node 'a' is an empty list", 4)]
    [InlineData("model: [offline, openai/gpt-4o]", "'offline' of node 'a' cannot be part of a failover list", 4)]
    [InlineData("model: [openai/gpt-4o, {x: 1}]", "entry 2 of 'model' of node 'a' must be a string", 4)]
    [InlineData("provider: [a]", "'provider' of node 'a' must be a string", 4)]
    public void A_bad_model_list_is_reported_at_its_line(string field, string expected, int line)
    {
        var result = WorkflowYaml.Validate($"""
            name: models
            nodes:
              - id: a
                {field}
            """);

        var error = Assert.Single(result.Errors);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Equal(line, error.Line);
    }

    [Fact]
    public void Every_llm_connection_string_of_the_configuration_becomes_a_named_connection()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:llm"] = "Provider=openai;Key=sk-default-123456;Model=gpt-4o-mini",
            ["ConnectionStrings:llm-claude"] = "Provider=anthropic;Key=sk-ant-123456;Model=claude-sonnet-4-5",
            ["ConnectionStrings:ledger"] = "Data Source=x.db",
        }).Build();
        var options = new MeshFlowEngineOptions();

        LlmConfiguration.Apply(configuration, options);

        Assert.Equal(["claude", "default"], options.Providers.Connections.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("anthropic", options.Providers.Connections["claude"].Provider);
    }

    [Fact]
    public void A_malformed_named_connection_is_refused_naming_it_without_its_key()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:llm-claude"] = "Provider=anthropic;Key=sk-ant-secret-99;Modle=claude",
        }).Build();

        var error = Assert.Throws<FormatException>(() => LlmConfiguration.Apply(configuration, new MeshFlowEngineOptions()));

        Assert.Contains("'llm-claude' has no Model", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-ant-secret-99", error.Message, StringComparison.Ordinal);
    }
}
