namespace MeshFlow.Privacy;

/// <summary>Which numbers of a date candidate are the year, the month and the day, and whether they make a calendar day.</summary>
internal static class PhiDates
{
    private static readonly string[] MonthNames =
        ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

    // 1962-03-14 (year first), otherwise month first (03/14/1962) or day first (14/03/1962) as the numbers allow.
    // Dots take a four-digit year only: 1.2.33 is a version more often than a date.
    public static bool IsNumeric(ReadOnlySpan<char> value)
    {
        var firstSeparator = value.IndexOfAny("-/.");
        var separator = value[firstSeparator];
        var secondSeparator = firstSeparator + 1 + value[(firstSeparator + 1)..].IndexOfAny("-/.");
        if (value[secondSeparator] != separator)
        {
            return false;
        }

        var first = PhiChecks.Number(value[..firstSeparator]);
        var second = PhiChecks.Number(value[(firstSeparator + 1)..secondSeparator]);
        var last = value[(secondSeparator + 1)..];
        if (firstSeparator == 4)
        {
            return PhiChecks.Date(first, second, PhiChecks.Number(last));
        }

        if (separator == '.' && last.Length != 4)
        {
            return false;
        }

        var year = PhiChecks.Number(last);
        return PhiChecks.Date(year, first, second) || PhiChecks.Date(year, second, first);
    }

    // 3/14: a slash only; "1/2 tablet", "pain 7/10" and "2.5" are told apart by the word before (FollowsDateWord).
    public static bool IsMonthAndDay(ReadOnlySpan<char> value)
    {
        var slash = value.IndexOf('/');
        return slash > 0 && PhiChecks.Date(0, PhiChecks.Number(value[..slash]), PhiChecks.Number(value[(slash + 1)..]));
    }

    // "March 14, 1962", "14th of Mar", "14-MAR-62": a month word, a day of one or two digits, perhaps a year.
    public static bool IsWritten(ReadOnlySpan<char> value)
    {
        int month = 0, day = 0, year = 0;
        var i = 0;
        while (i < value.Length)
        {
            var start = i;
            if (char.IsAsciiDigit(value[i]))
            {
                while (i < value.Length && char.IsAsciiDigit(value[i]))
                {
                    i++;
                }

                var number = PhiChecks.Number(value[start..i]);
                if (day == 0 && i - start <= 2)
                {
                    day = number;
                }
                else
                {
                    year = number;
                }
            }
            else if (char.IsAsciiLetter(value[i]))
            {
                while (i < value.Length && char.IsAsciiLetter(value[i]))
                {
                    i++;
                }

                month = month == 0 ? MonthNumber(value[start..i]) : month;
            }
            else
            {
                i++;
            }
        }

        return month > 0 && PhiChecks.Date(year, month, day);
    }

    // A month is its name or its first three letters, and September is also "Sept".
    private static int MonthNumber(ReadOnlySpan<char> word)
    {
        for (var i = 0; i < MonthNames.Length; i++)
        {
            var name = MonthNames[i];
            if (word.Equals(name, StringComparison.OrdinalIgnoreCase) || word.Equals(name.AsSpan(0, 3), StringComparison.OrdinalIgnoreCase)
                || (i == 8 && word.Equals("sept", StringComparison.OrdinalIgnoreCase)))
            {
                return i + 1;
            }
        }

        return 0;
    }
}
