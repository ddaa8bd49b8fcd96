using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using MeshFlow.Declarative;
using MeshFlow.Events;
using MeshFlow.Execution;
using MeshFlow.Runs;
using MeshFlow.Tests.Support;
using MeshFlow.Workflows;
using Microsoft.Extensions.AI;

namespace MeshFlow.Tests.Declarative;

public sealed class WorkflowYamlInputSchemaTests
{
    private const string DeclaredSchema = """
        {"type":"object","properties":{"clause":{"type":"string","description":"The clause to look up"},
         "limit":{"type":"integer","minimum":1,"maximum":10}},"required":["clause"]}
        """;

    // Block style, beside a tool named plainly.
    private const string Definition = """
        name: research
        nodes:
          - id: researcher
            tools:
              - search
              - name: lookup
                description: Finds precedent for one clause.
                input_schema:
                  type: object
                  properties:
                    clause: { type: string, description: The clause to look up }
                    limit: { type: integer, minimum: 1, maximum: 10 }
                  required: [clause]
        """;

    private int _lookups;

    private AIFunction Lookup => AIFunctionFactory.Create((string clause, int limit = 5) =>
    {
        Interlocked.Increment(ref _lookups);
        return $"{limit} precedents for {clause}";
    }, "lookup", "The C# tool's own description.");

    private static readonly AIFunction Search = AIFunctionFactory.Create((string query) => $"results for {query}", "search");

    private WorkflowLoadOptions Registered => new() { Tools = new Dictionary<string, AIFunction> { ["search"] = Search, ["lookup"] = Lookup } };

    // Calls lookup with the arguments given, then answers with what it was told; keeps the tools it was offered.
    private static DelegateChatClient Model(string arguments, List<AITool> offered) => new((messages, options, ct) =>
    {
        lock (offered)
        {
            offered.Clear();
            offered.AddRange(options?.Tools ?? []);
        }

        return Answer(messages, arguments, ct);
    });

    private static async IAsyncEnumerable<ChatResponseUpdate> Answer(IReadOnlyList<ChatMessage> messages, string arguments, [EnumeratorCancellation] CancellationToken ct)
    {
        await Task.Yield();
        if (messages.SelectMany(m => m.Contents).OfType<FunctionResultContent>().FirstOrDefault() is { } result)
        {
            yield return new ChatResponseUpdate(ChatRole.Assistant, $"told: {result.Result}");
            yield break;
        }

        ct.ThrowIfCancellationRequested();
        var parsed = JsonSerializer.Deserialize<Dictionary<string, object?>>(arguments);
        yield return new ChatResponseUpdate { Role = ChatRole.Assistant, Contents = [new FunctionCallContent("call-1", "lookup", parsed)] };
    }

    private static Task<RunCapture> RunAsync(Workflow loaded, DelegateChatClient model, MeshFlowEngine? engine = null) =>
        RunCapture.RunAsync(engine ?? new MeshFlowEngine(), new WorkflowBuilder("research")
            .AddNode(new AgentNode("researcher") { ChatClient = model, Tools = ((AgentNode)loaded.Nodes[0]).Tools })
            .Build(), "indemnity");

    private static void AssertJson(string expected, JsonElement actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual.GetRawText())), $"expected {expected}\nbut got {actual.GetRawText()}");

    [Fact]
    public async Task The_model_sees_the_declared_schema_and_description_and_the_rest_of_the_tools_as_they_are()
    {
        var offered = new List<AITool>();

        var capture = await RunAsync(WorkflowYaml.Load(Definition, Registered), Model("""{"clause":"indemnity","limit":3}""", offered));

        Assert.Equal(RunStatus.Completed, capture.Result.Status);
        Assert.Equal(["search", "lookup"], offered.Select(t => t.Name));
        var lookup = Assert.IsAssignableFrom<AIFunction>(offered[1]);
        AssertJson(DeclaredSchema, lookup.JsonSchema);
        Assert.Equal("Finds precedent for one clause.", lookup.Description);
        AssertJson(Search.JsonSchema.GetRawText(), ((AIFunction)offered[0]).JsonSchema);
        Assert.Equal((1, "told: 3 precedents for indemnity"), (_lookups, capture.Result.Output));
    }

    [Fact]
    public async Task Arguments_the_declared_schema_does_not_allow_are_not_run_though_the_csharp_tool_would_take_them()
    {
        var capture = await RunAsync(WorkflowYaml.Load(Definition, Registered), Model("""{"clause":"indemnity","limit":50}""", []));

        Assert.Equal(0, _lookups);
        var result = Assert.Single(capture.Of<ToolResultEvent>()).Result;
        Assert.StartsWith("invalid arguments for tool 'lookup': /limit: ", result, StringComparison.Ordinal);
        Assert.Equal($"told: {result}", capture.Result.Output);
    }

    [Fact]
    public async Task Without_registered_tools_the_declaration_is_kept_and_put_over_the_engines_tool()
    {
        var offered = new List<AITool>();
        var options = new MeshFlowEngineOptions();
        options.Tools.Add(Lookup);

        var loaded = WorkflowYaml.Load(Definition.Replace("      - search\n", string.Empty, StringComparison.Ordinal));
        var capture = await RunAsync(loaded, Model("""{"clause":"indemnity"}""", offered), new MeshFlowEngine(options));

        Assert.Equal(RunStatus.Completed, capture.Result.Status);
        AssertJson(DeclaredSchema, ((AIFunction)Assert.Single(offered)).JsonSchema);
        Assert.Equal((1, "told: 5 precedents for indemnity"), (_lookups, capture.Result.Output));
    }

    [Theory]
    [InlineData("""tools: [search, {name: lookup, input_schema: {type: object, properties: {clause: {type: string}}, required: [clause]}}]""")]
    [InlineData("""tools: [{"name": "lookup", "description": "d", "input_schema": {"type": "object", "properties": {"clause": {"type": "string"}}}}]""")]
    public void A_declaration_may_be_written_inline_or_as_json(string tools)
    {
        var workflow = WorkflowYaml.Load($"""
            name: research
            nodes:
              - id: researcher
                {tools}
            """, Registered);

        var lookup = Assert.IsAssignableFrom<AIFunction>(((AgentNode)workflow.Nodes[0]).Tools[^1]);
        Assert.Equal("lookup", lookup.Name);
        Assert.Equal("string", lookup.JsonSchema.GetProperty("properties").GetProperty("clause").GetProperty("type").GetString());
    }

    public static TheoryData<string, string, int, int, string[]> BadDeclarations() => new()
    {
        { "        input_schema: {type: object, properties: {limit: {type: intger}}}", WorkflowErrorCodes.InvalidValue, 6, 65,
            ["'input_schema' of tool 'lookup' in node 'researcher' is not a valid JSON Schema", "'intger' is not a valid JSON Schema value type", "(at /properties/limit/type)"] },
        { "        input_schema: {type: object, required: query}", WorkflowErrorCodes.InvalidValue, 6, 48, ["not a valid JSON Schema", "'required'", "(at /required)"] },
        { "        input_schema: [1, 2]", WorkflowErrorCodes.InvalidValue, 6, 23, ["'input_schema' of tool 'lookup' in node 'researcher' must be a JSON Schema object", "a list"] },
        { "        input_schema: text", WorkflowErrorCodes.InvalidValue, 6, 23, ["must be a JSON Schema object", "the string 'text'"] },
        { "        input_schema: {type: string}", WorkflowErrorCodes.InvalidValue, 6, 30, ["must have \"type\": \"object\"", "the string 'string'"] },
        { "        input_schema: {properties: {}}", WorkflowErrorCodes.InvalidValue, 6, 23, ["must have \"type\": \"object\"", "no type"] },
        { "        schema: {type: object}", WorkflowErrorCodes.UnknownField, 6, 9, ["unknown field 'schema' in tool 1 of node 'researcher'", "allowed: name, description, input_schema"] },
    };

    [Theory]
    [MemberData(nameof(BadDeclarations))]
    public void A_bad_declaration_is_reported_at_its_line_and_column(string line, string code, int atLine, int atColumn, string[] words)
    {
        var error = DefinitionAssert.SingleError($"""
            name: research
            nodes:
              - id: researcher
                tools:
                  - name: lookup
            {line}
            """, Registered);

        DefinitionAssert.Error(error, code, atLine, atColumn, words);
    }

    [Fact]
    public void A_declaration_without_a_name_or_naming_an_unregistered_tool_is_reported()
    {
        var errors = DefinitionAssert.Errors("""
            name: research
            nodes:
              - id: researcher
                tools:
                  - input_schema: {type: object}
                  - name: lokup
                  - [search]
            """, Registered);

        Assert.Collection(errors,
            missing => DefinitionAssert.Error(missing, WorkflowErrorCodes.MissingField, 5, 9, "tool 1 of node 'researcher' has no 'name'"),
            unknown => DefinitionAssert.Error(unknown, WorkflowErrorCodes.UnknownTool, 6, 15, "unknown tool 'lokup'", "did you mean 'lookup'?"),
            list => DefinitionAssert.Error(list, WorkflowErrorCodes.InvalidValue, 7, 9, "entry 3 of 'tools'", "a tool name or a mapping"));
    }

    [Fact]
    public void The_path_of_a_schema_problem_is_the_declarations_input_schema()
    {
        var error = DefinitionAssert.SingleError("""
            name: research
            nodes:
              - id: researcher
                tools: [search, {name: lookup, input_schema: {type: object, properties: {limit: {type: intger}}}}]
            """, Registered);

        Assert.Equal("nodes[0].tools[1].input_schema", error.Path);
    }

    [Fact]
    public void A_declared_schema_is_part_of_the_workflows_digest_and_a_plain_name_keeps_the_digest_it_had()
    {
        static string Digest(string tools) => WorkflowYaml.Load($"""
            name: research
            nodes:
              - id: researcher
                tools: {tools}
            """).Digest;

        const string Declared = "[{name: lookup, input_schema: {type: object, properties: {clause: {type: string}}}}]";
        Assert.Equal(Digest(Declared), Digest(Declared));
        Assert.NotEqual(Digest(Declared), Digest(Declared.Replace("string", "integer", StringComparison.Ordinal)));
        Assert.NotEqual(Digest("[lookup]"), Digest(Declared));
        Assert.Equal(Digest("[lookup]"), Digest("[{name: lookup}]"));
    }

    [Fact]
    public void A_json_definitions_bad_schema_is_reported_at_its_line_and_column_too()
    {
        var error = DefinitionAssert.SingleError("""
            {
              "name": "research",
              "nodes": [{
                "id": "researcher",
                "tools": [{"name": "lookup", "input_schema": {"type": "object", "properties": {"limit": {"type": "intger"}}}}]
              }]
            }
            """, Registered);

        DefinitionAssert.Error(error, WorkflowErrorCodes.InvalidValue, 5, 102, "'intger' is not a valid JSON Schema value type", "(at /properties/limit/type)");
    }
}
