using System.Net;
using System.Net.Sockets;

namespace MeshFlow.Privacy;

/// <summary>The checksums and range checks that tell an identifier from a number of the same shape.</summary>
internal static class PhiChecks
{
    // ISO 3779 transliteration of A..Z (I, O and Q never appear in a VIN), and the weight of each of the 17 positions.
    private static ReadOnlySpan<byte> VinLetterValues => [1, 2, 3, 4, 5, 6, 7, 8, 0, 1, 2, 3, 4, 5, 0, 7, 0, 9, 2, 3, 4, 5, 6, 7, 8, 9];
    private static ReadOnlySpan<byte> VinWeights => [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];

    /// <summary>How many ASCII digits the text holds.</summary>
    public static int CountDigits(ReadOnlySpan<char> text)
    {
        var count = 0;
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c))
            {
                count++;
            }
        }

        return count;
    }

    /// <summary>True when the digits of the text (separators skipped) pass the Luhn check.</summary>
    public static bool Luhn(ReadOnlySpan<char> text)
    {
        var sum = 0;
        var doubled = false;
        for (var i = text.Length - 1; i >= 0; i--)
        {
            if (!char.IsAsciiDigit(text[i]))
            {
                continue;
            }

            var digit = text[i] - '0';
            if (doubled)
            {
                digit = digit * 2 > 9 ? digit * 2 - 9 : digit * 2;
            }

            sum += digit;
            doubled = !doubled;
        }

        return sum % 10 == 0;
    }

    /// <summary>True for a payment card number: 13 to 19 digits, a major-network first digit (2-6), Luhn-valid.</summary>
    public static bool CardNumber(ReadOnlySpan<char> text)
    {
        var digits = CountDigits(text);
        var first = text.IndexOfAnyInRange('0', '9');
        return digits is >= 13 and <= 19 && text[first] is >= '2' and <= '6' && Luhn(text);
    }

    /// <summary>
    /// True for an SSN the Social Security Administration could have issued: nine digits, area not 000, 666 or
    /// 900-999, group not 00, serial not 0000.
    /// </summary>
    public static bool Ssn(ReadOnlySpan<char> text)
    {
        Span<int> digits = stackalloc int[9];
        var count = 0;
        foreach (var c in text)
        {
            if (char.IsAsciiDigit(c))
            {
                if (count == 9)
                {
                    return false;
                }

                digits[count++] = c - '0';
            }
        }

        if (count != 9)
        {
            return false;
        }

        var area = digits[0] * 100 + digits[1] * 10 + digits[2];
        var group = digits[3] * 10 + digits[4];
        var serial = digits[5] * 1000 + digits[6] * 100 + digits[7] * 10 + digits[8];
        return area is not (0 or 666) && area < 900 && group != 0 && serial != 0;
    }

    /// <summary>True when the 17-character VIN's ninth character is its check digit.</summary>
    public static bool VinCheckDigit(ReadOnlySpan<char> vin)
    {
        if (vin.Length != 17)
        {
            return false;
        }

        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            var c = vin[i];
            int value;
            if (char.IsAsciiDigit(c))
            {
                value = c - '0';
            }
            else if (char.IsAsciiLetterUpper(c) && c is not ('I' or 'O' or 'Q'))
            {
                value = VinLetterValues[c - 'A'];
            }
            else
            {
                return false;
            }

            sum += value * VinWeights[i];
        }

        var check = sum % 11;
        return vin[8] == (check == 10 ? 'X' : (char)('0' + check));
    }

    /// <summary>True for a calendar date; a two-digit year (<paramref name="year"/> below 100) accepts any day of the month.</summary>
    public static bool Date(int year, int month, int day)
    {
        if (month is < 1 or > 12 || day < 1)
        {
            return false;
        }

        if (year < 100)
        {
            return day <= (month == 2 ? 29 : DateTime.DaysInMonth(2001, month));
        }

        return year is >= 1800 and <= 2199 && day <= DateTime.DaysInMonth(year, month);
    }

    /// <summary>True for a dotted quad whose four parts are 0-255 without leading zeros.</summary>
    public static bool IPv4(ReadOnlySpan<char> text)
    {
        var parts = 0;
        foreach (var range in text.Split('.'))
        {
            var part = text[range];
            if (part.Length is 0 or > 3 || (part.Length > 1 && part[0] == '0') || Number(part) > 255)
            {
                return false;
            }

            parts++;
        }

        return parts == 4;
    }

    /// <summary>
    /// True for an IPv6 address written with at least two groups and a decimal digit: <c>::1</c> and
    /// <c>dead::beef</c> identify no one, and read as other things in prose.
    /// </summary>
    public static bool IPv6(ReadOnlySpan<char> text)
    {
        if (text.IndexOfAnyInRange('0', '9') < 0 || (text.IndexOf("::") < 0 && text.Count(':') != 7))
        {
            return false;
        }

        var groups = 0;
        foreach (var range in text.Split(':'))
        {
            if (range.End.GetOffset(text.Length) > range.Start.GetOffset(text.Length))
            {
                groups++;
            }
        }

        return groups >= 2 && IPAddress.TryParse(text, out var address) && address.AddressFamily == AddressFamily.InterNetworkV6;
    }

    /// <summary>The value of a run of ASCII digits (at most nine).</summary>
    public static int Number(ReadOnlySpan<char> digits)
    {
        var value = 0;
        foreach (var c in digits)
        {
            value = value * 10 + (c - '0');
        }

        return value;
    }
}
