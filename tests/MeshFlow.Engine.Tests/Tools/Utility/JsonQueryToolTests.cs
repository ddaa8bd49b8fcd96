using MeshFlow.Tools.Utility;
using Newtonsoft.Json.Linq;

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
    private const string Items = """
        { "items": [ { "n": "a", "p": 12 }, { "n": "b", "p": 3 }, { "n": "c", "p": 7 } ], "a": 1, "b": 2 }
        """;

    [Theory]
    [InlineData(20, "1,048,576")]
    [InlineData(160, "1.46E+48")]
    public async Task A_doubling_JMESPath_is_refused_before_the_data_is_read(int doublings, string bound)
    {
        // Evaluating these would build 2^20 (gigabytes) or 2^160 copies of the data. The data here is not even valid JSON,
        // so the refusal shows the expression is bounded before anything is parsed or evaluated.
        var path = "@" + string.Concat(Enumerable.Repeat("|[@,@]", doublings));
        Assert.True(path.Length <= JsonQueryTool.MaxPathChars);
        var message = await Refused("{\"a\": [1, 2, 3], \"b\": \"not closed", path);
        Assert.Equal(
            $"json_query: the expression can repeat its input up to {bound} times (multiselects [..] and {{..}}); at most 256 for 33 bytes of data",
            message);
    }

    [Fact]
    public async Task The_same_doubling_on_valid_data_is_refused_too()
    {
        var path = "@" + string.Concat(Enumerable.Repeat(" | [@,@]", 20));
        Assert.Contains("can repeat its input up to 1,048,576 times", await Refused(Items, path), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Nested_multiselects_multiply_and_are_refused_past_256_copies()
    {
        static string Chain(int steps) => "@" + string.Concat(Enumerable.Repeat(" | [[@,@],[@,@]]", steps));

        Assert.Equal(256, JArray.Parse(await Query("1", Chain(4))).Descendants().Count(token => token.Type == JTokenType.Integer));
        Assert.Contains("up to 1,024 times", await Refused("1", Chain(5)), StringComparison.Ordinal);
        Assert.Contains("up to 1,024 times", await Refused("1", "[[[[[@,@],[@,@]],[[@,@],[@,@]]],[[[@,@],[@,@]],[[@,@],[@,@]]]]] | [[@,@,@,@],[@,@,@,@]] | [[@,@,@,@],[@,@,@,@]]"), StringComparison.Ordinal);
        var wide = "[" + string.Join(',', Enumerable.Repeat("@", 64)) + "]";
        Assert.Contains("up to 512 times", await Refused("1", "{a: {x: [@,@], y: [@,@]}, b: {x: [@,@], y: [@,@]}} | " + wide), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Brackets_and_commas_inside_literals_and_quoted_names_do_not_count()
    {
        var brackets = string.Concat(Enumerable.Repeat("[@,@],{a:@,b:@},", 40));
        Assert.Equal("[]", await Query(Items, $"items[?n == '{brackets}'].n"));
        Assert.Equal("[]", await Query(Items, $"items[?n == `\"{brackets}\"`].n"));
        Assert.Equal("null", await Query(Items, $"\"{brackets}\""));
    }

    [Theory]
    [InlineData("items[?p < `10`].n", """["b","c"]""")]
    [InlineData("items[*].{n: n, p: p}", """[{"n":"a","p":12},{"n":"b","p":3},{"n":"c","p":7}]""")]
    [InlineData("[a, b]", "[1,2]")]
    [InlineData("sort_by(items, &p)[0].n", "\"b\"")]
    [InlineData("length(items)", "3")]
    [InlineData("join(', ', map(&to_string(p), items))", "\"12, 3, 7\"")]
    [InlineData("items[*].{n: n, both: [n, p], twice: {a: [n, n], b: [p, p]}} | [0]", """{"n":"a","both":["a",12],"twice":{"a":["a","a"],"b":[12,12]}}""")]
    public async Task Ordinary_JMESPath_queries_still_answer(string path, string expected)
    {
        Assert.Equal(expected, await Query(Items, path));
    }

    [Fact]
    public void The_bound_sums_elements_and_multiplies_along_a_path()
    {
        Assert.Equal(1d, JmesPathRepeatBound.Of("items[?p < `10`].n"));
        Assert.Equal(2d, JmesPathRepeatBound.Of("[a, b]"));
        Assert.Equal(3d, JmesPathRepeatBound.Of("[a[*].[@, @], b]"));
        Assert.Equal(4d, JmesPathRepeatBound.Of("[@,@] | [@,@]"));
        Assert.Equal(4d, JmesPathRepeatBound.Of("map(&[@, @], [@, @])"));
        Assert.Equal(2d, JmesPathRepeatBound.Of("to_string(@)"));
    }

    [Fact]
    public async Task A_large_document_allows_fewer_copies()
    {
        var data = "[" + string.Join(',', Enumerable.Repeat("\"xxxxxxxxxxxxxxxx\"", 50_000)) + "]";
        Assert.StartsWith("[[\"xxxx", await Query(data, "[@, @]"), StringComparison.Ordinal);
        Assert.Equal(
            "json_query: the expression can repeat its input up to 18 times (multiselects [..] and {..}); at most 17 for 950,001 bytes of data",
            await Refused(data, "[" + string.Join(',', Enumerable.Repeat("@", 18)) + "]"));
    }

    [Fact]
    public async Task Too_many_JSONPath_matches_are_cut_to_the_first_ten_thousand_with_a_note()
    {
        var data = "[" + string.Join(',', Enumerable.Repeat("""{"n":1}""", 20_000)) + "]";
        var result = JObject.Parse(await Query(data, "$..n"));
        Assert.Equal(JsonQueryTool.MaxMatches, Assert.IsType<JArray>(result["matches"]).Count);
        Assert.Equal("json_query: more than 10,000 matches; the first 10,000 are shown", (string?)result["cut"]);
    }

    [Fact]
    public async Task A_recursive_JSONPath_over_a_large_deep_document_is_cut_at_the_output_cap_and_stays_valid_JSON()
    {
        // 60 levels (120 of nesting) over about 500 KB: "$..*" matches every level, each holding most of the document.
        var leaf = "[" + string.Join(',', Enumerable.Repeat("\"" + new string('x', 100) + "\"", 5_000)) + "]";
        var data = string.Concat(Enumerable.Repeat("""{"k":["pad",""", 60)) + leaf + string.Concat(Enumerable.Repeat("]}", 60));
        var output = await Query(data, "$..*");
        Assert.True(output.Length <= _tool.MaxOutputChars);
        Assert.DoesNotContain("[output truncated", output, StringComparison.Ordinal);
        var result = JObject.Parse(output);
        Assert.IsType<JArray>(result["matches"]);
        Assert.Matches("^json_query: the matches pass 99,800 characters; the first [0-9,]+ are shown$", (string?)result["cut"]);
    }

    [Theory]
    [InlineData("pad_left(a, `1000000000`)", "pad_left")]
    [InlineData("pad_right(a, `1000000000`, 'x')", "pad_right")]
    [InlineData("replace(a, 'x', 'yyyyyyyyyyyyyyyyyyyy')", "replace")]
    public async Task Functions_that_build_strings_of_any_size_are_refused_unevaluated(string path, string function)
    {
        Assert.Equal($"json_query: {function} is not offered: it can build a string of any size", await Refused("{\"a\": \"xxxx\"}", path));
    }
}
