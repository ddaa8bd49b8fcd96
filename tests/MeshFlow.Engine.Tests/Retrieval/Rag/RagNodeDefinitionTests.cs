using MeshFlow.Declarative;
using MeshFlow.Retrieval.Documents;
using MeshFlow.Tests.Declarative;
using MeshFlow.Workflows;

namespace MeshFlow.Tests.Retrieval.Rag;

/// <summary><c>kind: rag</c> in a definition and <see cref="WorkflowBuilder.AddRag"/>: fields, defaults and every error with its line and column.</summary>
public sealed class RagNodeDefinitionTests
{
    [Fact]
    public void A_rag_node_reads_its_knowledge_base_query_top_k_and_mode()
    {
        var workflow = WorkflowYaml.Load("""
            name: support
            nodes:
              - id: retrieve
                kind: rag
                knowledge: handbook
                query: "policy question: {{input}}"
                top_k: 6
                mode: keyword
              - id: answer
                model: offline
            edges:
              - from: retrieve
                to: answer
            """);

        var node = Assert.IsType<RagNode>(workflow.FindNode("retrieve"));
        Assert.Equal(NodeKind.Rag, node.Kind);
        Assert.Equal("handbook", node.KnowledgeBase);
        Assert.Equal(6, node.TopK);
        Assert.Equal(RetrievalMode.Keyword, node.Mode);
        Assert.Equal("policy question: how many leave days?", node.QueryFor("how many leave days?"));
    }

    [Fact]
    public void A_rag_node_defaults_to_four_chunks_the_knowledge_base_s_mode_and_its_input_as_query()
    {
        var workflow = WorkflowYaml.Load("""
            name: support
            nodes:
              - id: retrieve
                kind: rag
                knowledge: handbook
            """);

        var node = Assert.IsType<RagNode>(workflow.FindNode("retrieve"));
        Assert.Equal(4, node.TopK);
        Assert.Null(node.Mode);
        Assert.Equal("the input", node.QueryFor("the input"));
    }

    [Theory]
    [InlineData("knowledge: Handbook", 5, 16, "'knowledge' of node 'retrieve' is 'Handbook', which is not a knowledge base name")]
    [InlineData("knowledge: [a, b]", 5, 16, "'knowledge' of node 'retrieve' must be a knowledge base name")]
    [InlineData("knowledge:", 5, 5, "'knowledge' of node 'retrieve' is empty")]
    public void A_bad_knowledge_base_name_is_reported_where_it_is_written(string field, int line, int column, string message)
    {
        var error = DefinitionAssert.SingleError($"""
            name: t
            nodes:
              - id: retrieve
                kind: rag
                {field}
            """);

        DefinitionAssert.Error(error, WorkflowErrorCodes.InvalidValue, line, column, message);
    }

    [Theory]
    [InlineData("top_k: 0", 6, 12, "'top_k' of node 'retrieve' must be at least 1, but is 0")]
    [InlineData("top_k: 51", 6, 12, "'top_k' of node 'retrieve' must be at most 50, but is 51")]
    [InlineData("top_k: many", 6, 12, "'top_k' of node 'retrieve' must be a whole number")]
    [InlineData("mode: semantic", 6, 11, "unknown retrieval mode 'semantic' of node 'retrieve'", "expected one of hybrid, vector, keyword")]
    [InlineData("mode: hybird", 6, 11, "did you mean 'hybrid'?")]
    [InlineData("query: ''", 6, 12, "'query' of node 'retrieve' is empty")]
    public void A_bad_value_is_reported_with_its_line_and_column(string field, int line, int column, params string[] words)
    {
        var error = DefinitionAssert.SingleError($"""
            name: t
            nodes:
              - id: retrieve
                kind: rag
                knowledge: handbook
                {field}
            """);

        DefinitionAssert.Error(error, WorkflowErrorCodes.InvalidValue, line, column, words);
    }

    [Fact]
    public void An_unknown_field_of_a_rag_node_is_named_with_the_allowed_ones()
    {
        var error = DefinitionAssert.SingleError("""
            name: t
            nodes:
              - id: retrieve
                kind: rag
                knowledge: handbook
                topk: 3
            """);

        DefinitionAssert.Error(error, WorkflowErrorCodes.UnknownField, 6, 5,
            "unknown field 'topk' in node 'retrieve'", "did you mean 'top_k'?", "allowed: id, kind, role, risk, knowledge, query, top_k, mode");
    }

    [Fact]
    public void An_agent_field_on_a_rag_node_and_a_rag_field_on_an_agent_are_said_to_belong_elsewhere()
    {
        var errors = DefinitionAssert.Errors("""
            name: t
            nodes:
              - id: retrieve
                kind: rag
                knowledge: handbook
                instructions: Answer.
              - id: answer
                knowledge: handbook
            """);

        Assert.Equal(2, errors.Count);
        DefinitionAssert.Error(errors[0], WorkflowErrorCodes.UnknownField, 6, 5, "field 'instructions' does not apply to node 'retrieve'", "agent nodes");
        DefinitionAssert.Error(errors[1], WorkflowErrorCodes.UnknownField, 8, 5, "field 'knowledge' does not apply to node 'answer'", "rag nodes (kind: rag)");
    }

    [Fact]
    public void The_builder_adds_a_rag_node_and_refuses_a_bad_name_or_top_k()
    {
        var workflow = new WorkflowBuilder("support")
            .AddRag("retrieve", "handbook", topK: 3, query: "{{input}} (staff handbook)", mode: RetrievalMode.Vector)
            .AddAgent("answer")
            .AddEdge("retrieve", "answer")
            .Build();

        var node = Assert.IsType<RagNode>(workflow.FindNode("retrieve"));
        Assert.Equal(("handbook", 3, RetrievalMode.Vector), (node.KnowledgeBase, node.TopK, node.Mode));
        Assert.Equal("leave (staff handbook)", node.QueryFor("leave"));
        Assert.Equal("knowledgeBase", Assert.Throws<ArgumentException>(() => new WorkflowBuilder("w").AddRag("r", "Hand Book")).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new WorkflowBuilder("w").AddRag("r", "handbook", topK: 51));
    }

    [Fact]
    public void A_rag_node_s_fields_are_part_of_the_workflow_digest()
    {
        static string Digest(int topK) =>
            WorkflowYaml.Load($"name: t\nnodes:\n  - id: r\n    kind: rag\n    knowledge: handbook\n    top_k: {topK}\n").Digest;

        Assert.NotEqual(Digest(3), Digest(4));
    }
}
