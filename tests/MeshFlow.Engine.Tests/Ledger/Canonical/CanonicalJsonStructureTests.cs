using System.Buffers;
using System.Text;
using System.Text.Json;
using MeshFlow.Ledger.Canonical;

namespace MeshFlow.Tests.Ledger.Canonical;

/// <summary>Structure: whitespace, literals, nesting, member order, I-JSON rules, and the public entry points.</summary>
public sealed class CanonicalJsonStructureTests
{
    [Fact]
    public void Whitespace_between_tokens_is_removed()
    {
        const string Input = " \r\n\t{ \"b\" :\t[ 1 , 2 ,\n 3 ] ,\r\n \"a\" : { } , \"c\" : [ ] } \n";

        Assert.Equal("{\"a\":{},\"b\":[1,2,3],\"c\":[]}", Canonical(Input));
    }

    [Fact]
    public void Whitespace_inside_strings_is_kept()
    {
        Assert.Equal("{\" a b \":\" x  y \"}", Canonical("{ \" a b \" : \" x  y \" }"));
    }

    [Theory]
    [InlineData("true", "true")]
    [InlineData("false", "false")]
    [InlineData("null", "null")]
    [InlineData(" [ null , true , false ] ", "[null,true,false]")]
    [InlineData("\"text\"", "\"text\"")]
    [InlineData("42", "42")]
    [InlineData("{}", "{}")]
    [InlineData("[]", "[]")]
    public void Literals_and_top_level_scalars_are_written_as_they_are(string json, string expected)
    {
        Assert.Equal(expected, Canonical(json));
    }

    [Fact]
    public void Nested_objects_are_sorted_at_every_level_and_arrays_keep_their_order()
    {
        const string Input = """
            {
              "zeta": [3, {"y": 1, "x": [ {"b": 2, "a": 1}, [], {} ]}, 1],
              "alpha": {"delta": {"z": null, "m": false}, "beta": [true, "s"]},
              "mid": []
            }
            """;

        Assert.Equal(
            "{\"alpha\":{\"beta\":[true,\"s\"],\"delta\":{\"m\":false,\"z\":null}},\"mid\":[],"
            + "\"zeta\":[3,{\"x\":[{\"a\":1,\"b\":2},[],{}],\"y\":1},1]}",
            Canonical(Input));
    }

    [Fact]
    public void Names_sort_by_utf16_code_units_not_by_code_points_or_culture()
    {
        // U+FB33 is one code unit (0xFB33); U+1F600 is the pair 0xD83D 0xDE00, so it sorts first under UTF-16
        // although its code point is larger. "B" (0x42) sorts before "a" (0x61); "a" before "aa".
        const string Input = "{\"\ufb33\":1,\"\ud83d\ude00\":2,\"a\":3,\"B\":4,\"aa\":5,\"\":6,\"\u00e9\":7,\"e\":8}";

        Assert.Equal(
            "{\"\":6,\"B\":4,\"a\":3,\"aa\":5,\"e\":8,\"\u00e9\":7,\"\ud83d\ude00\":2,\"\ufb33\":1}",
            Canonical(Input));
    }

    [Fact]
    public void Large_objects_sort_like_an_ordinal_string_sort()
    {
        var random = new Random(42);
        var names = new HashSet<string>(StringComparer.Ordinal);
        const string Alphabet = "aAbB0_\u00e9\u20ac\ufb33\ud83d\ude00";
        while (names.Count < 500)
        {
            var length = random.Next(0, 6);
            var builder = new StringBuilder();
            for (var i = 0; i < length; i++)
            {
                var pick = random.Next(Alphabet.Length - 1);
                builder.Append(Alphabet[pick]);
                if (char.IsHighSurrogate(Alphabet[pick]))
                {
                    // The last char is the low half of the emoji and is never picked on its own.
                    builder.Append(Alphabet[pick + 1]);
                }
            }

            names.Add(builder.ToString());
        }

        var shuffled = names.OrderBy(_ => random.Next()).ToList();
        var json = JsonSerializer.Serialize(shuffled.ToDictionary(n => n, n => n.Length));

        using var document = JsonDocument.Parse(CanonicalJson.Canonicalize(json));
        var order = document.RootElement.EnumerateObject().Select(p => p.Name).ToList();

        Assert.Equal(names.Order(StringComparer.Ordinal).ToList(), order);
    }

    [Theory]
    [InlineData("{\"a\":1,\"a\":2}")]
    [InlineData("{\"a\":1,\"b\":2,\"a\":1}")]
    [InlineData("{\"a\":1,\"\\u0061\":2}")]
    [InlineData("{\"\u00e9\":1,\"\\u00e9\":2}")]
    [InlineData("[{\"x\":{\"k\":1,\"k\":1}}]")]
    [InlineData("{\"a\":1,\"b\":2,\"c\":3,\"d\":4,\"e\":5,\"f\":6,\"g\":7,\"h\":8,\"i\":9,\"j\":10,\"k\":11,\"l\":12,\"m\":13,\"n\":14,\"o\":15,\"p\":16,\"q\":17,\"c\":18}")]
    public void Duplicate_property_names_are_rejected(string json)
    {
        var error = Assert.Throws<FormatException>(() => CanonicalJson.Canonicalize(json));
        Assert.Contains("more than once", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_that_differ_only_in_case_are_not_duplicates()
    {
        Assert.Equal("{\"A\":1,\"a\":2}", Canonical("{\"a\":2,\"A\":1}"));
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("{")]
    [InlineData("[1,]")]
    [InlineData("{\"a\":1,}")]
    [InlineData("{'a':1}")]
    [InlineData("{a:1}")]
    [InlineData("[1 2]")]
    [InlineData("1 2")]
    [InlineData("NaN")]
    [InlineData("[Infinity]")]
    [InlineData("[01]")]
    [InlineData("[.5]")]
    [InlineData("[\"unterminated]")]
    [InlineData("[\"bad \\x escape\"]")]
    [InlineData("[\"raw \n newline\"]")]
    [InlineData("/* comment */ 1")]
    [InlineData("[True]")]
    public void Invalid_json_is_rejected_with_a_format_exception(string json)
    {
        var error = Assert.Throws<FormatException>(() => CanonicalJson.Canonicalize(json));
        Assert.Contains("not valid JSON", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_null_string_is_an_argument_error()
    {
        Assert.Throws<ArgumentNullException>(() => CanonicalJson.Canonicalize((string)null!));
    }

    [Fact]
    public void An_undefined_element_is_an_argument_error()
    {
        Assert.Throws<ArgumentException>(() => CanonicalJson.Canonicalize(default(JsonElement)));
        Assert.Throws<ArgumentException>(() => CanonicalJson.Write(default, new ArrayBufferWriter<byte>()));
    }

    [Fact]
    public void Write_needs_an_output()
    {
        using var document = JsonDocument.Parse("[]");

        Assert.Throws<ArgumentNullException>(() => CanonicalJson.Write(document.RootElement, null!));
    }

    [Fact]
    public void Write_appends_the_same_bytes_canonicalize_returns()
    {
        using var document = JsonDocument.Parse("{\"b\":[1.50,\"\\u00e9\"],\"a\":{\"y\":null,\"x\":true}}");
        var output = new ArrayBufferWriter<byte>();
        output.Write("prefix:"u8);

        CanonicalJson.Write(document.RootElement, output);

        Assert.Equal(
            [.. "prefix:"u8.ToArray(), .. CanonicalJson.Canonicalize(document.RootElement)],
            output.WrittenSpan.ToArray());
    }

    [Fact]
    public void Elements_inside_a_document_canonicalize_on_their_own()
    {
        using var document = JsonDocument.Parse("{\"outer\":{\"b\":2,\"a\":1}}");

        Assert.Equal("{\"a\":1,\"b\":2}", Encoding.UTF8.GetString(CanonicalJson.Canonicalize(document.RootElement.GetProperty("outer"))));
    }

    [Fact]
    public void Serialize_of_a_record_sorts_its_properties()
    {
        var record = new LedgerSample("run-1", 3, 0.5, new NestedSample(Zulu: true, Alpha: null), ["x", "y"]);

        var canonical = Encoding.UTF8.GetString(CanonicalJson.Serialize(record));

        Assert.Equal(
            "{\"Amount\":0.5,\"Id\":\"run-1\",\"Nested\":{\"Alpha\":null,\"Zulu\":true},\"Sequence\":3,\"Tags\":[\"x\",\"y\"]}",
            canonical);
    }

    [Fact]
    public void Serialize_honours_the_serializer_options()
    {
        var options = new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
        var record = new NestedSample(Zulu: false, Alpha: "\u00e9<>&'");

        var canonical = Encoding.UTF8.GetString(CanonicalJson.Serialize(record, options));

        // The serializer escapes HTML-sensitive and non-ASCII characters; canonicalization writes them literally.
        Assert.Equal("{\"alpha\":\"\u00e9<>&'\",\"zulu\":false}", canonical);
    }

    [Fact]
    public void Serialize_equals_canonicalizing_the_serialized_text()
    {
        var record = new LedgerSample("id", -7, 1e21, new NestedSample(Zulu: false, Alpha: "a"), []);

        Assert.Equal(CanonicalJson.Canonicalize(JsonSerializer.Serialize(record)), CanonicalJson.Serialize(record));
    }

    private static string Canonical(string json) => Encoding.UTF8.GetString(CanonicalJson.Canonicalize(json));

    private sealed record LedgerSample(string Id, long Sequence, double Amount, NestedSample Nested, IReadOnlyList<string> Tags);

    private sealed record NestedSample(bool Zulu, string? Alpha);
}
