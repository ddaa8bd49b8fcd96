using System.Text.RegularExpressions;

namespace MeshFlow.Privacy;

/// <summary>The identifiers recognized by the label in front of them: "MRN:", "member ID", "acct #", "VIN", "fax".</summary>
/// <remarks>
/// A value must look like an identifier, not a word or a count: at least four characters and three digits ("serial
/// 12-lead ECGs" is not a serial number), five digits when it is digits only ("chart 2023" is a year). A value the
/// label does not fit is given up and the search resumes at the value, which may itself be a label.
/// </remarks>
internal static class PhiLabelDetector
{
    public static void Labelled(string text, Regex pattern, ref PhiCandidates found)
    {
        var match = pattern.Match(text);
        while (match.Success)
        {
            var value = match.Groups["v"];
            var start = value.Index;
            var end = start + value.Length;
            PhiType? type = null;
            if (PhiText.EndsToken(text, end, ""))
            {
                type = Classify(match, value.ValueSpan);
            }

            if (type is { } recognized)
            {
                found.Add(start, end, recognized);
                match = match.NextMatch();
            }
            else
            {
                match = pattern.Match(text, start);
            }
        }
    }

    private static PhiType? Classify(Match match, ReadOnlySpan<char> value)
    {
        var groups = match.Groups;
        if (groups["ssn"].Success)
        {
            return PhiChecks.Ssn(value) && !value.ContainsAnyInRange('A', 'Z') && !value.ContainsAnyInRange('a', 'z') ? PhiType.Ssn : null;
        }

        if (groups["tel"].Success || groups["fax"].Success)
        {
            return IsPhoneNumber(value) ? groups["fax"].Success ? PhiType.Fax : PhiType.Phone : null;
        }

        if (groups["zip"].Success)
        {
            return IsZip(value) ? PhiType.Zip : null;
        }

        if (groups["veh"].Success && groups["veh"].ValueSpan.EndsWith("plate", StringComparison.OrdinalIgnoreCase))
        {
            return IsPlate(value) ? PhiType.Vehicle : null;
        }

        // Only a plate is written in two parts.
        if (value.Contains(' ') || !IsIdentifier(value))
        {
            return null;
        }

        return groups["mrn"].Success ? PhiType.Mrn
            : groups["plan"].Success ? PhiType.HealthPlan
            : groups["acct"].Success ? PhiType.Account
            : groups["veh"].Success ? PhiType.Vehicle
            : groups["lic"].Success ? PhiType.License
            : PhiType.Device;
    }

    private static bool IsIdentifier(ReadOnlySpan<char> value)
    {
        var digits = PhiChecks.CountDigits(value);
        return value.Length >= 4 && digits >= 3 && (digits < value.Length || value.Length >= 5);
    }

    // 555-0142, 617-555-0142, 6175550142, +16175550142: seven digits, or ten with a valid area code and exchange.
    private static bool IsPhoneNumber(ReadOnlySpan<char> value)
    {
        Span<char> digits = stackalloc char[32];
        var count = 0;
        foreach (var c in value)
        {
            if (char.IsAsciiDigit(c))
            {
                digits[count++] = c;
            }
            else if (c is not ('-' or '.' or '+'))
            {
                return false;
            }
        }

        var number = digits[..count];
        if (count == 11 && number[0] == '1')
        {
            number = number[1..];
        }

        return number.Length switch
        {
            7 => number[0] >= '2',
            10 => number[0] >= '2' && number[3] >= '2',
            _ => false,
        };
    }

    // 02118 or 02118-1234.
    private static bool IsZip(ReadOnlySpan<char> value) => value.Length switch
    {
        5 => PhiChecks.CountDigits(value) == 5,
        10 => value[5] == '-' && PhiChecks.CountDigits(value) == 9,
        _ => false,
    };

    // A plate is capitals and digits with at least one digit, perhaps in two parts ("ABC 1234").
    private static bool IsPlate(ReadOnlySpan<char> value) =>
        value.Length <= 10 && !value.ContainsAnyInRange('a', 'z') && PhiChecks.CountDigits(value) >= 1;
}
