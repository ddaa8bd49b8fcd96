using MeshFlow.Conditions;

namespace MeshFlow.Tests.Conditions;

public sealed class ConditionScopeTests
{
    private const string State = """
        {
          "score": 0.8,
          "verdict": "approved",
          "done": true,
          "nothing": null,
          "with-dash": "x",
          "tags": ["a", "b"],
          "review": { "verdict": "ok", "rounds": 2 }
        }
        """;

    private static readonly ConditionTestScope Scope = new(
        output: "draft 3",
        iteration: 3,
        state: State,
        outputs: new Dictionary<string, string> { ["writer"] = "draft", ["fact-check"] = "ok" });

    [Theory]
    [InlineData("state.score > 0.5")]
    [InlineData("state['score'] == 0.8")]
    [InlineData("state.verdict == 'approved'")]
    [InlineData("state.done == true")]
    [InlineData("state.done")]
    [InlineData("state.nothing == null")]
    [InlineData("state['with-dash'] == 'x'")]
    [InlineData("contains(state.tags, '\"b\"') && starts_with(state.tags, '[')")]
    [InlineData("contains(state.review, '\"verdict\"')")]
    public void State_values_map_from_json(string condition) =>
        Assert.True(ConditionTestScope.Evaluate(condition, Scope));

    [Theory]
    [InlineData("state.review.verdict == 'ok'")]
    [InlineData("state.review['rounds'] == 2")]
    [InlineData("state.review.missing == null")]
    [InlineData("state.score.deeper == null")]
    public void Nested_state_properties_can_be_followed(string condition) =>
        Assert.True(ConditionTestScope.Evaluate(condition, Scope));

    [Theory]
    [InlineData("outputs.writer == 'draft'")]
    [InlineData("outputs['fact-check'] == 'ok'")]
    [InlineData("outputs[\"writer\"] != output")]
    public void Outputs_of_other_nodes_are_looked_up_by_id(string condition) =>
        Assert.True(ConditionTestScope.Evaluate(condition, Scope));

    [Theory]
    [InlineData("state.missing == null")]
    [InlineData("outputs.missing == null")]
    [InlineData("state.missing != 0 && state.missing != ''")]
    [InlineData("!contains(outputs.missing, 'x')")]
    [InlineData("len(outputs.missing) == 0")]
    [InlineData("starts_with(state.missing, '')")]
    [InlineData("lower(outputs.missing) == ''")]
    public void Missing_values_are_null_and_string_functions_treat_null_as_empty(string condition) =>
        Assert.True(ConditionTestScope.Evaluate(condition, Scope));

    [Fact]
    public void Output_and_iteration_come_from_the_scope()
    {
        Assert.True(ConditionTestScope.Evaluate("output == 'draft 3' && iteration == 3", Scope));
        Assert.False(ConditionTestScope.Evaluate("iteration < 3", Scope));
    }

    [Fact]
    public void One_parsed_condition_evaluates_against_many_scopes()
    {
        var condition = ConditionExpression.Parse("iteration < 3 && !contains(output, 'APPROVED')");

        Assert.True(condition.Evaluate(new ConditionTestScope("try again", 1)));
        Assert.False(condition.Evaluate(new ConditionTestScope("APPROVED", 2)));
        Assert.False(condition.Evaluate(new ConditionTestScope("try again", 3)));
    }
}
