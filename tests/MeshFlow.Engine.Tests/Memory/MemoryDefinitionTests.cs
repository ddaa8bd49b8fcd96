using MeshFlow.Declarative;
using MeshFlow.Memory;
using MeshFlow.Tests.Declarative;
using MeshFlow.Workflows;

namespace MeshFlow.Tests.Memory;

public sealed class MemoryDefinitionTests
{
    [Fact]
    public void An_agent_reads_its_memory_scope_and_top_k()
    {
        var workflow = WorkflowYaml.Load("""
            name: t
            nodes:
              - id: a
                memory: { scope: agent, top_k: 7 }
              - id: b
                memory:
                  scope: tenant
              - id: c
                memory: { scope: run }
              - id: d
            edges:
              - { from: a, to: b }
              - { from: b, to: c }
              - { from: c, to: d }
            """);

        var nodes = workflow.Nodes.Cast<AgentNode>().ToDictionary(n => n.Id);
        Assert.Equal(new AgentMemoryOptions(MemoryScope.Agent, 7), nodes["a"].Memory);
        Assert.Equal(new AgentMemoryOptions(MemoryScope.Tenant, AgentMemoryOptions.DefaultTopK), nodes["b"].Memory);
        Assert.Equal(MemoryScope.Run, nodes["c"].Memory!.Scope);
        Assert.Null(nodes["d"].Memory);
    }

    [Theory]
    [InlineData("{ scope: agnet }", 4, 22, WorkflowErrorCodes.InvalidValue, "unknown memory scope 'agnet'", "did you mean 'agent'", "run, agent, tenant")]
    [InlineData("{ scope: agent, top_k: 0 }", 4, 36, WorkflowErrorCodes.InvalidValue, "'top_k' of the memory of node 'a'", "at least 1")]
    [InlineData("{ scope: agent, top_k: 51 }", 4, 36, WorkflowErrorCodes.InvalidValue, "'top_k'", "at most 50")]
    [InlineData("{ scope: agent, top_k: five }", 4, 36, WorkflowErrorCodes.InvalidValue, "'top_k'", "a whole number", "'five'")]
    [InlineData("{ scope: agent, size: 3 }", 4, 29, WorkflowErrorCodes.UnknownField, "unknown field 'size' in the memory of node 'a'", "allowed: scope, top_k")]
    [InlineData("{ top_k: 3 }", 4, 13, WorkflowErrorCodes.MissingField, "the memory of node 'a' has no 'scope'", "run, agent, tenant")]
    [InlineData("{ scope: }", 4, 15, WorkflowErrorCodes.InvalidValue, "empty 'scope'")]
    [InlineData("agent", 4, 13, WorkflowErrorCodes.InvalidValue, "'memory' of node 'a' must be a mapping", "{ scope: agent, top_k: 5 }")]
    public void A_wrong_memory_is_reported_at_its_line_and_column(string memory, int line, int column, string code, params string[] words)
    {
        var error = DefinitionAssert.SingleError($"""
            name: t
            nodes:
              - id: a
                memory: {memory}
            """);

        DefinitionAssert.Error(error, code, line, column, words);
    }

    [Fact]
    public void Memory_on_a_tool_node_is_reported_as_belonging_to_agents()
    {
        var error = DefinitionAssert.SingleError("""
            name: t
            nodes:
              - id: a
                kind: tool
                tool: search
                memory: { scope: agent }
            """);

        DefinitionAssert.Error(error, WorkflowErrorCodes.UnknownField, 6, 5, "field 'memory' does not apply to node 'a'", "agent nodes");
    }

    [Fact]
    public void Memory_on_a_human_node_is_reported()
    {
        var error = DefinitionAssert.SingleError("""
            name: t
            nodes:
              - id: a
                kind: human
                instructions: check it
                memory: { scope: agent }
            """);

        DefinitionAssert.Error(error, WorkflowErrorCodes.UnknownField, 6, 5, "'memory'", "agent nodes");
    }

    [Fact]
    public void The_digest_covers_memory_and_is_unchanged_without_it()
    {
        static Workflow Build(AgentMemoryOptions? memory) =>
            new WorkflowBuilder("t").AddNode(new AgentNode("a") { Memory = memory }).Build();

        var none = WorkflowDigest.Compute(Build(null));
        var agent = WorkflowDigest.Compute(Build(new AgentMemoryOptions(MemoryScope.Agent)));
        var tenant = WorkflowDigest.Compute(Build(new AgentMemoryOptions(MemoryScope.Tenant)));
        var more = WorkflowDigest.Compute(Build(new AgentMemoryOptions(MemoryScope.Agent, 9)));

        Assert.Equal(4, new[] { none, agent, tenant, more }.Distinct().Count());
        Assert.Equal(none, WorkflowDigest.Compute(new WorkflowBuilder("t").AddNode(new AgentNode("a")).Build()));
    }

    [Fact]
    public void Top_k_outside_its_range_is_refused_in_code()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new AgentMemoryOptions(MemoryScope.Agent, 0));

        Assert.Equal("TopK", error.ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new AgentMemoryOptions(MemoryScope.Agent, AgentMemoryOptions.MaxTopK + 1));
    }
}
