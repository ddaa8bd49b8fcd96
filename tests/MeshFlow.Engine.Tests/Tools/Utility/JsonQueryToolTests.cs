using MeshFlow.Tools.Utility;

namespace MeshFlow.Tests.Tools.Utility;

public sealed class JsonQueryToolTests
{
    private const string Store = """
        { "store": { "books": [
            { "title": "Dune", "price": 9.5, "tags": ["sf"] },
            { "title": "Emma", "price": 12, "tags": [] },
            { "title": "Ubik", "price": 7, "tags": ["sf", "pkd"] } ] } }
        """;

    private readonly JsonQueryTool _tool = new();

    private Task<string> Query(string data, string path) => _tool.CallAsync(new Dictionary<string, object?> { ["data"] = data, ["path"] = path });

    private Task<string> Refused(string data, string path) => _tool.RefusedAsync(new Dictionary<string, object?> { ["data"] = data, ["path"] = path });

    [Theory]
    [InlineData("$.store.books[0].title", """["Dune"]""")]
    [InlineData("$.store.books[?(@.price < 10)].title", """["Dune","Ubik"]""")]
    [InlineData("$..tags[*]", """["sf","sf","pkd"]""")]
    [InlineData("$.store.missing", "[]")]
    public async Task A_path_starting_with_a_dollar_is_JSONPath_and_returns_the_matches(string path, string expected)
    {
        Assert.Equal(expected, await Query(Store, path));
    }

    [Theory]
    [InlineData("store.books[0].title", "\"Dune\"")]
    [InlineData("store.books[?price < `10`].title", """["Dune","Ubik"]""")]
    [InlineData("length(store.books)", "3")]
    [InlineData("store.books[*].{t: title, n: length(tags)}", """[{"t":"Dune","n":1},{"t":"Emma","n":0},{"t":"Ubik","n":2}]""")]
    [InlineData("sort_by(store.books, &price)[0].title", "\"Ubik\"")]
    [InlineData("store.nothing", "null")]
    public async Task Any_other_path_is_JMESPath(string path, string expected)
    {
        Assert.Equal(expected, await Query(Store, path));
    }

    [Fact]
    public async Task Invalid_JSON_is_refused_with_its_line_and_position()
    {
        var message = await Refused("{\n  \"a\": 1,\n  \"b\": }", "a");
        Assert.Contains("invalid JSON at line 3", message, StringComparison.Ordinal);
        Assert.Contains("invalid JSON at line 1, position", await Refused("{\"a\": 1} {\"b\": 2}", "a"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_expressions_are_refused_naming_the_language()
    {
        Assert.Contains("invalid JSONPath", await Refused(Store, "$.store.books[?(@.price <"), StringComparison.Ordinal);
        Assert.Contains("JMESPath", await Refused(Store, "store.books[?price <"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Data_over_a_mebibyte_and_paths_over_a_thousand_characters_are_refused()
    {
        var big = "[" + string.Join(',', Enumerable.Repeat("\"xxxxxxxxxxxxxxxx\"", 60_000)) + "]";
        Assert.Contains("larger than", await Refused(big, "[0]"), StringComparison.Ordinal);
        Assert.Contains("1 to 1,000", await Refused(Store, "$" + new string('.', 1_000)), StringComparison.Ordinal);
    }
}
