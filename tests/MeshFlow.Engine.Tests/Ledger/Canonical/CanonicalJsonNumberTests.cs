using System.Globalization;
using System.Text;
using MeshFlow.Ledger.Canonical;

namespace MeshFlow.Tests.Ledger.Canonical;

/// <summary>ECMAScript number serialization (RFC 8785 §3.2.2.3) beyond the RFC's own table.</summary>
public sealed class CanonicalJsonNumberTests
{
    [Theory]
    [InlineData(1d, "1")]
    [InlineData(-1d, "-1")]
    [InlineData(4.5d, "4.5")]
    [InlineData(0.1d, "0.1")]
    [InlineData(0.002d, "0.002")]
    [InlineData(100d, "100")]
    [InlineData(123456789012345680000d, "123456789012345680000")]
    [InlineData(1e21d, "1e+21")]
    [InlineData(1.5e21d, "1.5e+21")]
    [InlineData(1e-6d, "0.000001")]
    [InlineData(1.5e-6d, "0.0000015")]
    [InlineData(1e-7d, "1e-7")]
    [InlineData(1.5e-7d, "1.5e-7")]
    [InlineData(-1.5e-7d, "-1.5e-7")]
    [InlineData(1e15d, "1000000000000000")]
    [InlineData(1e16d, "10000000000000000")]
    [InlineData(1e30d, "1e+30")]
    [InlineData(1e-27d, "1e-27")]
    [InlineData(2.5e-5d, "0.000025")]
    [InlineData(9007199254740994d, "9007199254740994")]
    [InlineData(18014398509481984d, "18014398509481984")]
    [InlineData(123.456d, "123.456")]
    [InlineData(-0.5d, "-0.5")]
    [InlineData(double.MaxValue, "1.7976931348623157e+308")]
    [InlineData(double.Epsilon, "5e-324")]
    [InlineData(2.2250738585072014e-308d, "2.2250738585072014e-308")]
    public void Numbers_use_the_ecmascript_layout(double value, string expected)
    {
        Assert.Equal(expected, CanonicalJson.FormatNumber(value));
    }

    [Fact]
    public void Negative_zero_is_written_as_zero()
    {
        Assert.Equal("0", CanonicalJson.FormatNumber(-0d));
        Assert.Equal("[0]", Encoding.UTF8.GetString(CanonicalJson.Canonicalize("[-0]")));
        Assert.Equal("[0]", Encoding.UTF8.GetString(CanonicalJson.Canonicalize("[-0.0e5]")));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void Non_finite_numbers_are_rejected(double value)
    {
        Assert.ThrowsAny<ArgumentException>(() => CanonicalJson.FormatNumber(value));
    }

    [Theory]
    [InlineData("[1e400]")]
    [InlineData("[-1e400]")]
    public void Json_numbers_outside_the_double_range_are_rejected(string json)
    {
        var error = Assert.Throws<FormatException>(() => CanonicalJson.Canonicalize(json));
        Assert.Contains("double", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("9007199254740993", "9007199254740992")]
    [InlineData("12345678901234567890", "12345678901234567000")]
    [InlineData("1E+2", "100")]
    [InlineData("1.00e2", "100")]
    [InlineData("0.1e1", "1")]
    [InlineData("4.50", "4.5")]
    [InlineData("-0.000001", "-0.000001")]
    [InlineData("1e-7", "1e-7")]
    [InlineData("333333333.33333329", "333333333.3333333")]
    [InlineData("2.2250738585072011e-308", "2.225073858507201e-308")]
    public void Json_numbers_are_read_as_doubles_as_the_rfc_prescribes(string number, string expected)
    {
        Assert.Equal("[" + expected + "]", Encoding.UTF8.GetString(CanonicalJson.Canonicalize("[" + number + "]")));
    }

    [Fact]
    public void Formatted_numbers_round_trip_to_the_same_double()
    {
        var random = new Random(8785);
        Span<byte> bits = stackalloc byte[8];
        for (var i = 0; i < 20_000; i++)
        {
            random.NextBytes(bits);
            var value = BitConverter.ToDouble(bits);
            if (!double.IsFinite(value))
            {
                continue;
            }

            var text = CanonicalJson.FormatNumber(value);
            var parsed = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);

            Assert.Equal(value == 0 ? 0d : value, parsed);
            Assert.DoesNotContain("E", text, StringComparison.Ordinal);
            Assert.True(
                !text.Contains('.', StringComparison.Ordinal) || !text.Split('e')[0].EndsWith('0'),
                $"{text} has a trailing zero in its fraction");
        }
    }
}
