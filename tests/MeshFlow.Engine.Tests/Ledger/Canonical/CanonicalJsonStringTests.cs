using System.Globalization;
using System.Text;
using System.Text.Json;
using MeshFlow.Ledger.Canonical;

namespace MeshFlow.Tests.Ledger.Canonical;

/// <summary>String serialization (RFC 8785 §3.2.2.2) and the I-JSON rule against unpaired surrogates.</summary>
public sealed class CanonicalJsonStringTests
{
    public static TheoryData<int> ControlCharacters()
    {
        var data = new TheoryData<int>();
        for (var c = 0; c < 0x20; c++)
        {
            data.Add(c);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ControlCharacters))]
    public void Every_control_character_is_escaped_in_the_rfc_form(int code)
    {
        var expected = code switch
        {
            0x08 => "\\b",
            0x09 => "\\t",
            0x0A => "\\n",
            0x0C => "\\f",
            0x0D => "\\r",
            _ => "\\u00" + code.ToString("x2", CultureInfo.InvariantCulture),
        };
        var input = "[\"a\\u" + code.ToString("X4", CultureInfo.InvariantCulture) + "z\"]";

        Assert.Equal("[\"a" + expected + "z\"]", Canonical(input));
    }

    [Fact]
    public void Control_characters_in_property_names_are_escaped_too()
    {
        Assert.Equal("{\"\\u001f\\t\":1}", Canonical("{\"\\u001F\\u0009\":1}"));
    }

    [Fact]
    public void Quote_and_backslash_use_their_short_escapes()
    {
        Assert.Equal("[\"\\\"\\\\\"]", Canonical("[\"\\u0022\\u005C\"]"));
        Assert.Equal("[\"\\\"\\\\\"]", Canonical("[\"\\\"\\\\\"]"));
    }

    [Fact]
    public void Solidus_is_never_escaped()
    {
        Assert.Equal("[\"a/b/c/\"]", Canonical("[\"a\\/b/c\\u002f\"]"));
        Assert.Equal("[\"//\"]", Canonical("[\"\\/\\u002F\"]"));
    }

    [Fact]
    public void Non_ascii_characters_are_written_as_literal_utf8()
    {
        const string Text = "\u00e9\u00f6\u4e2d\u6587\ud83d\ude00\u2028\u2029\ufeff\u007f\u0080\uffff";
        var escaped = string.Concat(Text.Select(c => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture)));

        var fromEscapes = CanonicalJson.Canonicalize("[\"" + escaped + "\"]");
        var fromLiterals = CanonicalJson.Canonicalize("[\"" + Text + "\"]");

        var expected = Encoding.UTF8.GetBytes("[\"" + Text + "\"]");
        Assert.Equal(expected, fromEscapes);
        Assert.Equal(expected, fromLiterals);
    }

    [Fact]
    public void Unicode_escapes_in_either_hex_case_decode_to_the_same_character()
    {
        Assert.Equal("[\"\u00ff\u00ff\"]", Canonical("[\"\\u00FF\\u00ff\"]"));
    }

    [Fact]
    public void Escaped_property_names_are_unescaped_before_sorting()
    {
        Assert.Equal("{\"a\":2,\"b\":1,\"c\":3}", Canonical("{\"\\u0062\":1,\"a\":2,\"\\u0063\":3}"));
    }

    [Fact]
    public void Long_strings_with_escapes_and_non_ascii_survive_intact()
    {
        var builder = new StringBuilder();
        for (var i = 0; i < 20_000; i++)
        {
            builder.Append("\u00e9\ud83d\ude00\n\"/x\u0001");
        }

        var text = builder.ToString();
        var json = JsonSerializer.Serialize(new[] { text });

        var canonical = CanonicalJson.Canonicalize(json);

        using var document = JsonDocument.Parse(canonical);
        Assert.Equal(text, document.RootElement[0].GetString());
        Assert.DoesNotContain("\\u00e9", Encoding.UTF8.GetString(canonical), StringComparison.Ordinal);
        Assert.Contains("\\u0001", Encoding.UTF8.GetString(canonical), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("[\"\\ud800\"]")]
    [InlineData("[\"\\udc00\"]")]
    [InlineData("[\"x\\ud83d\"]")]
    [InlineData("[\"\\ud83dx\"]")]
    [InlineData("[\"\\ud83d\\u0041\"]")]
    [InlineData("[\"\\ud83d\\ud83d\"]")]
    [InlineData("[\"\\ude00\\ud83d\"]")]
    [InlineData("{\"\\ud800\":1}")]
    [InlineData("{\"a\\udfff\":1}")]
    public void Escaped_lone_surrogates_are_rejected(string json)
    {
        var error = Assert.Throws<FormatException>(() => CanonicalJson.Canonicalize(json));
        Assert.Contains("surrogate", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0xD800, "[\"{0}\"]")]
    [InlineData(0xDC00, "[\"{0}\"]")]
    [InlineData(0xDBFF, "[\"x{0}y\"]")]
    [InlineData(0xD83D, "{{\"a{0}\":1}}")]
    [InlineData(0xDE00, "{{\"{0}\":\"v\"}}")]
    public void Literal_lone_surrogates_in_the_text_are_rejected(int surrogate, string template)
    {
        // Built at run time: attribute strings are stored as UTF-8, which cannot carry a lone surrogate.
        var json = string.Format(CultureInfo.InvariantCulture, template, (char)surrogate);

        var error = Assert.Throws<FormatException>(() => CanonicalJson.Canonicalize(json));
        Assert.Contains("surrogate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Escaped_surrogate_pairs_become_literal_utf8()
    {
        Assert.Equal(Encoding.UTF8.GetBytes("[\"\ud83d\ude00\"]"), CanonicalJson.Canonicalize("[\"\\uD83D\\uDE00\"]"));
    }

    private static string Canonical(string json) => Encoding.UTF8.GetString(CanonicalJson.Canonicalize(json));
}
