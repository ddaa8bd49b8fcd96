using System.Globalization;
using System.Text;
using System.Text.Json;
using MeshFlow.Ledger.Canonical;

namespace MeshFlow.Tests.Ledger.Canonical;

/// <summary>The examples RFC 8785 itself gives: §3.2.2 (whole document), §3.2.3 (sorting), Appendix B (numbers).</summary>
public sealed class CanonicalJsonRfcExampleTests
{
    [Fact]
    public void The_section_3_2_2_sample_input_gives_the_rfc_output()
    {
        const string Input = """
            {
              "numbers": [333333333.33333329, 1E30, 4.50,
                          2e-3, 0.000000000000000000000000001],
              "string": "\u20ac$\u000F\u000aA'\u0042\u0022\u005c\\\"\/",
              "literals": [null, true, false]
            }
            """;
        const string Expected =
            "{\"literals\":[null,true,false],\"numbers\":[333333333.3333333,1e+30,4.5,0.002,1e-27],"
            + "\"string\":\"\u20ac$\\u000f\\nA'B\\\"\\\\\\\\\\\"/\"}";

        var canonical = CanonicalJson.Canonicalize(Input);

        Assert.Equal(Expected, Encoding.UTF8.GetString(canonical));
        Assert.Equal(Encoding.UTF8.GetBytes(Expected), canonical);
    }

    [Fact]
    public void The_section_3_2_3_sorting_example_gives_the_rfc_order()
    {
        const string Input = """
            {
              "\u20ac": "Euro Sign",
              "\r": "Carriage Return",
              "\ufb33": "Hebrew Letter Dalet With Dagesh",
              "1": "One",
              "\ud83d\ude00": "Emoji: Grinning Face",
              "\u0080": "Control",
              "\u00f6": "Latin Small Letter O With Diaeresis"
            }
            """;

        var canonical = Encoding.UTF8.GetString(CanonicalJson.Canonicalize(Input));

        using var document = JsonDocument.Parse(canonical);
        var values = document.RootElement.EnumerateObject().Select(p => p.Value.GetString()).ToArray();
        Assert.Equal(
            [
                "Carriage Return",
                "One",
                "Control",
                "Latin Small Letter O With Diaeresis",
                "Euro Sign",
                "Emoji: Grinning Face",
                "Hebrew Letter Dalet With Dagesh",
            ],
            values);
        Assert.Equal(
            "{\"\\r\":\"Carriage Return\",\"1\":\"One\",\"\u0080\":\"Control\",\"\u00f6\":\"Latin Small Letter O With Diaeresis\","
            + "\"\u20ac\":\"Euro Sign\",\"\ud83d\ude00\":\"Emoji: Grinning Face\",\"\ufb33\":\"Hebrew Letter Dalet With Dagesh\"}",
            canonical);
    }

    [Theory]
    [InlineData("0000000000000000", "0")]
    [InlineData("8000000000000000", "0")]
    [InlineData("0000000000000001", "5e-324")]
    [InlineData("8000000000000001", "-5e-324")]
    [InlineData("7fefffffffffffff", "1.7976931348623157e+308")]
    [InlineData("ffefffffffffffff", "-1.7976931348623157e+308")]
    [InlineData("4340000000000000", "9007199254740992")]
    [InlineData("c340000000000000", "-9007199254740992")]
    [InlineData("4430000000000000", "295147905179352830000")]
    [InlineData("44b52d02c7e14af5", "9.999999999999997e+22")]
    [InlineData("44b52d02c7e14af6", "1e+23")]
    [InlineData("44b52d02c7e14af7", "1.0000000000000001e+23")]
    [InlineData("444b1ae4d6e2ef4e", "999999999999999700000")]
    [InlineData("444b1ae4d6e2ef4f", "999999999999999900000")]
    [InlineData("444b1ae4d6e2ef50", "1e+21")]
    [InlineData("3eb0c6f7a0b5ed8c", "9.999999999999997e-7")]
    [InlineData("3eb0c6f7a0b5ed8d", "0.000001")]
    [InlineData("41b3de4355555553", "333333333.3333332")]
    [InlineData("41b3de4355555554", "333333333.33333325")]
    [InlineData("41b3de4355555555", "333333333.3333333")]
    [InlineData("41b3de4355555556", "333333333.3333334")]
    [InlineData("41b3de4355555557", "333333333.33333343")]
    [InlineData("becbf647612f3696", "-0.0000033333333333333333")]
    [InlineData("43143ff3c1cb0959", "1424953923781206.2")]
    public void Appendix_b_numbers_format_as_the_rfc_table_says(string ieee754, string expected)
    {
        var value = FromBits(ieee754);

        Assert.Equal(expected, CanonicalJson.FormatNumber(value));
    }

    [Theory]
    [InlineData("7fffffffffffffff")]
    [InlineData("7ff0000000000000")]
    [InlineData("fff0000000000000")]
    public void Appendix_b_nan_and_infinity_are_errors(string ieee754)
    {
        var value = FromBits(ieee754);

        Assert.ThrowsAny<ArgumentException>(() => CanonicalJson.FormatNumber(value));
    }

    [Theory]
    [InlineData("0000000000000000", "0")]
    [InlineData("4430000000000000", "295147905179352830000")]
    [InlineData("44b52d02c7e14af6", "1e+23")]
    [InlineData("3eb0c6f7a0b5ed8d", "0.000001")]
    [InlineData("becbf647612f3696", "-0.0000033333333333333333")]
    public void Appendix_b_numbers_read_from_json_canonicalize_to_the_same_text(string ieee754, string expected)
    {
        var json = "[" + FromBits(ieee754).ToString("R", CultureInfo.InvariantCulture) + "]";

        Assert.Equal("[" + expected + "]", Encoding.UTF8.GetString(CanonicalJson.Canonicalize(json)));
    }

    private static double FromBits(string hex) =>
        BitConverter.Int64BitsToDouble(unchecked((long)ulong.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture)));
}
