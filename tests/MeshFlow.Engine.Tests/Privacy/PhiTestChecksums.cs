namespace MeshFlow.Tests.Privacy;

/// <summary>The check digits of the corpus's synthetic identifiers, written apart from the scrubber's own.</summary>
internal static class PhiTestChecksums
{
    private static readonly int[] VinWeights = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];

    public static string LuhnInvalid(string number)
    {
        var last = number[^1] - '0';
        var fixedNumber = number;
        while (Luhn(fixedNumber))
        {
            last = (last + 1) % 10;
            fixedNumber = fixedNumber[..^1] + (char)('0' + last);
        }

        return fixedNumber;
    }

    public static bool Luhn(string digits)
    {
        var sum = 0;
        var doubled = false;
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            if (!char.IsAsciiDigit(digits[i]))
            {
                continue;
            }

            var d = digits[i] - '0';
            sum += doubled ? (d * 2 > 9 ? d * 2 - 9 : d * 2) : d;
            doubled = !doubled;
        }

        return sum % 10 == 0;
    }

    public static string LuhnComplete(string body)
    {
        for (var check = 0; check < 10; check++)
        {
            var candidate = body + (char)('0' + check);
            if (Luhn(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("no Luhn check digit");
    }

    public static char VinCheckDigit(char[] vin)
    {
        var sum = 0;
        for (var i = 0; i < 17; i++)
        {
            sum += VinValue(vin[i]) * VinWeights[i];
        }

        return sum % 11 == 10 ? 'X' : (char)('0' + sum % 11);
    }

    // ISO 3779: A-H are 1-8, J-R 1-9 (skipping O, Q), S-Z 2-9.
    private static int VinValue(char c) => char.IsAsciiDigit(c) ? c - '0' : "12345678012345070923456789"[c - 'A'] - '0';
}
