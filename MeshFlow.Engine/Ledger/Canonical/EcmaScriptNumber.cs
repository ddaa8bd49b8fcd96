using System.Globalization;

namespace MeshFlow.Ledger.Canonical;

/// <summary>
/// Formats an IEEE-754 double the way ECMAScript's <c>Number.prototype.toString()</c> does (ECMA-262
/// Number::toString, radix 10), which is the number serialization RFC 8785 §3.2.2.3 prescribes.
/// </summary>
/// <remarks>
/// .NET's round-trip format ("R", shortest digits that parse back to the same double, ties to the closest) supplies
/// the digits <c>s</c> and the decimal exponent; this type only re-lays them out: plain notation when
/// <c>-6 &lt; n &lt;= 21</c> (that is 1e-7 &lt; |x| &lt; 1e21), otherwise <c>d[.ddd]e±x</c>.
/// </remarks>
internal static class EcmaScriptNumber
{
    /// <summary>
    /// Room for the longest text <see cref="Format(double, Span{byte})"/> produces: 25 bytes, as in
    /// <c>-0.0000012345678901234567</c>.
    /// </summary>
    public const int MaxLength = 32;

    /// <summary>2^53: below it every integral double is formatted as the plain integer it is.</summary>
    private const double ExactIntegerLimit = 9007199254740992d;

    /// <summary>The longest round-trip text .NET produces for a double ("-1.7976931348623157E+308" is 24).</summary>
    private const int RoundTripBufferLength = 32;

    /// <summary>Writes <paramref name="value"/> as ASCII into <paramref name="destination"/> and returns the length.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is NaN or infinite.</exception>
    public static int Format(double value, Span<byte> destination)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(
                nameof(value),
                value,
                "NaN and Infinity have no JSON representation, so RFC 8785 cannot serialize them.");
        }

        if (value == 0)
        {
            // Both +0 and -0 serialize as "0".
            destination[0] = (byte)'0';
            return 1;
        }

        if (Math.Abs(value) < ExactIntegerLimit && value == Math.Truncate(value))
        {
            // Fast path: a safe integer's shortest digits are the integer itself, and n <= 16 < 21 keeps it plain.
            ((long)value).TryFormat(destination, out var integerLength, default, CultureInfo.InvariantCulture);
            return integerLength;
        }

        Span<byte> roundTrip = stackalloc byte[RoundTripBufferLength];
        if (!value.TryFormat(roundTrip, out var length, "R", CultureInfo.InvariantCulture))
        {
            throw new InvalidOperationException("The round-trip form of a double did not fit its buffer.");
        }

        // Decompose the round-trip text into the digits s (k of them, no leading or trailing zeros) and n, the
        // position of the decimal point relative to the first digit: value = 0.s × 10^n.
        Span<byte> digits = stackalloc byte[RoundTripBufferLength];
        var k = 0;
        var n = 0;
        var afterPoint = false;
        var position = 0;
        var negative = roundTrip[0] == (byte)'-';
        if (negative)
        {
            position++;
        }

        for (; position < length; position++)
        {
            var c = roundTrip[position];
            if (c == (byte)'.')
            {
                afterPoint = true;
                continue;
            }

            if (c is (byte)'E' or (byte)'e')
            {
                break;
            }

            if (k == 0 && c == (byte)'0')
            {
                if (afterPoint)
                {
                    n--;
                }

                continue;
            }

            digits[k++] = c;
            if (!afterPoint)
            {
                n++;
            }
        }

        if (position < length)
        {
            position++;
            var exponentNegative = false;
            if (roundTrip[position] is (byte)'+' or (byte)'-')
            {
                exponentNegative = roundTrip[position] == (byte)'-';
                position++;
            }

            var exponent = 0;
            for (; position < length; position++)
            {
                exponent = (exponent * 10) + (roundTrip[position] - '0');
            }

            n += exponentNegative ? -exponent : exponent;
        }

        while (k > 1 && digits[k - 1] == (byte)'0')
        {
            k--;
        }

        return Layout(negative, digits[..k], n, destination);
    }

    /// <summary>The ECMAScript string for <paramref name="value"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="value"/> is NaN or infinite.</exception>
    public static string Format(double value)
    {
        Span<byte> text = stackalloc byte[MaxLength];
        var length = Format(value, text);
        return string.Create(length, text[..length], static (chars, ascii) =>
        {
            for (var i = 0; i < ascii.Length; i++)
            {
                chars[i] = (char)ascii[i];
            }
        });
    }

    /// <summary>ECMA-262 Number::toString steps 6 to 10 for the digits s (k = s.Length) and exponent n.</summary>
    private static int Layout(bool negative, ReadOnlySpan<byte> s, int n, Span<byte> destination)
    {
        var k = s.Length;
        var at = 0;
        if (negative)
        {
            destination[at++] = (byte)'-';
        }

        if (k <= n && n <= 21)
        {
            // Integer: the digits followed by n - k zeros.
            s.CopyTo(destination[at..]);
            at += k;
            destination.Slice(at, n - k).Fill((byte)'0');
            return at + (n - k);
        }

        if (0 < n && n <= 21)
        {
            // Fraction with an integer part: the first n digits, a point, the remaining k - n digits.
            s[..n].CopyTo(destination[at..]);
            at += n;
            destination[at++] = (byte)'.';
            s[n..].CopyTo(destination[at..]);
            return at + (k - n);
        }

        if (-6 < n && n <= 0)
        {
            // Small fraction: "0." then -n zeros then the digits.
            destination[at++] = (byte)'0';
            destination[at++] = (byte)'.';
            destination.Slice(at, -n).Fill((byte)'0');
            at += -n;
            s.CopyTo(destination[at..]);
            return at + k;
        }

        // Exponential: d[.ddd]e±(n-1).
        destination[at++] = s[0];
        if (k > 1)
        {
            destination[at++] = (byte)'.';
            s[1..].CopyTo(destination[at..]);
            at += k - 1;
        }

        destination[at++] = (byte)'e';
        var exponent = n - 1;
        destination[at++] = exponent < 0 ? (byte)'-' : (byte)'+';
        Math.Abs(exponent).TryFormat(destination[at..], out var exponentLength, default, CultureInfo.InvariantCulture);
        return at + exponentLength;
    }
}
