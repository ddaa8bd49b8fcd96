using System.Globalization;

namespace MeshFlow.Tests.Privacy;

/// <summary>Synthetic identifiers in the formats clinical text writes them, with valid checksums where they have one.</summary>
internal sealed class PhiValues(Random random)
{
    private static readonly string[] MonthNames =
        ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

    private static readonly string[] States = ["MA", "NY", "CA", "TX", "IL", "OH", "GA", "WA", "PA", "FL", "MN", "OR"];
    private static readonly string[] Cities = ["Boston", "Albany", "Fresno", "Austin", "Springfield", "Dayton", "Macon", "Tacoma", "Erie", "Tampa", "Duluth", "Salem"];
    private static readonly string[] StateNames = ["Massachusetts", "New York", "California", "Texas", "Illinois", "Ohio"];
    private const string VinAlphabet = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789";

    public string Digits(int count, char firstMin = '0')
    {
        var chars = new char[count];
        for (var i = 0; i < count; i++)
        {
            chars[i] = (char)random.Next(i == 0 ? firstMin : '0', '9' + 1);
        }

        return new string(chars);
    }

    public string Letters(int count)
    {
        var chars = new char[count];
        for (var i = 0; i < count; i++)
        {
            chars[i] = (char)random.Next('A', 'Z' + 1);
        }

        return new string(chars);
    }

    public T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];

    public string Ssn()
    {
        int area;
        do
        {
            area = random.Next(1, 900);
        }
        while (area == 666);

        var (group, serial) = (random.Next(1, 100), random.Next(1, 10_000));
        var separator = random.Next(4) == 0 ? " " : "-";
        return Invariant($"{area:000}{separator}{group:00}{separator}{serial:0000}");
    }

    public string SsnBare() => Ssn().Replace("-", "", StringComparison.Ordinal).Replace(" ", "", StringComparison.Ordinal);

    public string Date()
    {
        var year = random.Next(1930, 2025);
        var month = random.Next(1, 13);
        var day = random.Next(1, DateTime.DaysInMonth(year, month) + 1);
        var name = MonthNames[month - 1];
        return random.Next(14) switch
        {
            10 => Invariant($"{day:00}.{month:00}.{year}"),
            11 => Invariant($"{day}{Ordinal(day)} {name} {year}"),
            12 => Invariant($"{year}-{month:00}-{day:00}T{random.Next(24):00}:{random.Next(60):00}")[..10],
            13 => Invariant($"{(month == 9 ? "Sept" : name[..3])}. {day}, {year}"),
            0 => Invariant($"{month:00}/{day:00}/{year}"),
            1 => Invariant($"{month}/{day}/{year}"),
            2 => Invariant($"{month:00}/{day:00}/{year % 100:00}"),
            3 => Invariant($"{year}-{month:00}-{day:00}"),
            4 => Invariant($"{name} {day}, {year}"),
            5 => Invariant($"{name[..3]} {day}, {year}"),
            6 => Invariant($"{day} {name[..3]} {year}"),
            7 => Invariant($"{day:00}-{name[..3].ToUpperInvariant()}-{year}"),
            8 => Invariant($"{name[..3]}. {day}"),
            _ => Invariant($"{day}{Ordinal(day)} of {name} {year}"),
        };
    }

    public string MonthDay() => Invariant($"{random.Next(1, 13)}/{random.Next(1, 29)}");

    public string Phone()
    {
        var (area, exchange, line) = (Digits(3, '2'), Digits(3, '2'), Digits(4));
        return random.Next(11) switch
        {
            8 => $"({area}){exchange}-{line}",
            9 => $"{area} {exchange} {line}",
            10 => $"{area}-{exchange}-{line}x{Digits(3)}",
            0 => $"({area}) {exchange}-{line}",
            1 => $"{area}-{exchange}-{line}",
            2 => $"{area}.{exchange}.{line}",
            3 => $"+1 {area} {exchange} {line}",
            4 => $"1-{area}-{exchange}-{line}",
            5 => $"{area}-{exchange}-{line} ext. {Digits(3)}",
            6 => $"({area}) {exchange}-{line} x{Digits(2)}",
            _ => $"+1-{area}-{exchange}-{line}",
        };
    }

    public string PhoneBare() => Digits(3, '2') + Digits(3, '2') + Digits(4);

    public string PhoneLocal() => $"{Digits(3, '2')}-{Digits(4)}";

    public string Email(string given, string surname)
    {
        var user = random.Next(4) switch
        {
            0 => $"{given}.{surname}",
            1 => $"{given[0]}{surname}{Digits(2)}",
            2 => $"{given}_{surname}+portal",
            _ => $"{surname}.{given[0]}",
        };
        var domain = Pick(["example.com", "mail.example.org", "clinic-example.net", "example.co.uk", "health.example.edu", "Example.COM"]);
        var address = $"{user.Replace("'", "", StringComparison.Ordinal)}@{domain}";
        return random.Next(3) == 0 ? address : address.ToLowerInvariant();
    }

    public string Mrn() => random.Next(4) switch
    {
        0 => Digits(8),
        1 => "A" + Digits(7),
        2 => $"{Digits(4)}-{Digits(4)}",
        _ => Digits(7, '1'),
    };

    public string HealthPlan() => random.Next(4) switch
    {
        0 => Letters(3) + Digits(9),
        1 => Mbi(),
        2 => "W" + Digits(9),
        _ => $"{Letters(2)}{Digits(6)}-{Digits(2)}",
    };

    public string Account() => random.Next(3) switch
    {
        0 => Digits(9, '1'),
        1 => $"ACCT-{Digits(7)}",
        _ => $"{Digits(4)}-{Digits(5)}",
    };

    public string Dea()
    {
        var digits = Digits(6);
        var d = digits.Select(c => c - '0').ToArray();
        var check = (d[0] + d[2] + d[4] + 2 * (d[1] + d[3] + d[5])) % 10;
        return $"{Pick(["A", "B", "F", "M"])}{Letters(1)}{digits}{check}";
    }

    public string Npi()
    {
        var body = Digits(1, '1')[0] == '1' ? "1" + Digits(8) : "2" + Digits(8);
        for (var check = 0; check < 10; check++)
        {
            var candidate = body + check.ToString(CultureInfo.InvariantCulture);
            if (PhiTestChecksums.Luhn("80840" + candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("no NPI check digit");
    }

    public string DriverLicense() => random.Next(2) == 0 ? Letters(1) + Digits(7) : $"S{Digits(3)}-{Digits(4)}-{Digits(4)}";

    public string Vin()
    {
        var chars = new char[17];
        for (var i = 0; i < 17; i++)
        {
            chars[i] = VinAlphabet[random.Next(VinAlphabet.Length)];
        }

        chars[0] = Pick(['1', '2', '3', '4', '5', 'J', 'K', 'W']);
        chars[8] = PhiTestChecksums.VinCheckDigit(chars);
        return new string(chars);
    }

    public string VinWithWrongCheckDigit()
    {
        var vin = Vin().ToCharArray();
        vin[8] = vin[8] == '0' ? '1' : '0';
        return new string(vin);
    }

    public string Plate() => random.Next(3) switch
    {
        0 => $"{Digits(1, '1')}{Letters(3)}{Digits(3)}",
        1 => $"{Letters(3)}-{Digits(4)}",
        _ => $"{Letters(3)} {Digits(4)}",
    };

    public string Serial() => random.Next(3) switch
    {
        0 => $"{Letters(2)}{Digits(6)}",
        1 => $"SN-{Digits(5)}-{Letters(1)}",
        _ => $"{Digits(4)}{Letters(2)}{Digits(3)}",
    };

    public string Udi() => $"(01){Digits(14)}(17){Digits(6)}(10){Letters(1)}{Digits(5)}";

    public string Imei() => PhiTestChecksums.LuhnComplete("35" + Digits(12));

    public string Mac() => string.Join(":", Enumerable.Range(0, 6).Select(_ => random.Next(256).ToString("X2", CultureInfo.InvariantCulture)));

    public string IPv4() => Invariant($"{random.Next(1, 224)}.{random.Next(256)}.{random.Next(256)}.{random.Next(1, 255)}");

    public string MappedIPv4() => "::ffff:" + IPv4();

    public string IPv6()
    {
        var groups = Enumerable.Range(0, 8).Select(_ => random.Next(65536).ToString("x", CultureInfo.InvariantCulture)).ToArray();
        return random.Next(3) switch
        {
            0 => string.Join(":", groups),
            1 => $"fe80::{groups[4]}:{groups[5]}:{groups[6]}:{random.Next(1, 9999)}",
            _ => $"2001:db8:{groups[2]}::{random.Next(1, 999)}",
        };
    }

    public string Url(string surname) => random.Next(6) switch
    {
        4 => $"HTTPS://PORTAL.EXAMPLE.ORG/ID/{Digits(4)}",
        5 => $"http://{IPv4()}:8080/dicom/{Digits(6)}",
        0 => $"https://portal.example.org/patient/{Digits(6)}",
        1 => $"http://myhealth.example.com/records?id={Digits(5)}&view=full",
        2 => $"www.example-clinic.org/{surname.ToLowerInvariant().Replace("'", "", StringComparison.Ordinal)}",
        _ => $"https://telehealth.example.net/visit/{Letters(3).ToLowerInvariant()}-{Digits(4)}",
    };

    public (string Before, string Zip) CityZip() => random.Next(5) switch
    {
        4 => ($"{Pick(Cities)} {Pick(["MA", "PA", "MD", "CT", "GA", "VA", "CO"])} ", Digits(5)),
        0 => ($"{Pick(Cities)}, {Pick(States)} ", Digits(5)),
        1 => ($"{Pick(Cities)}, {Pick(StateNames)} ", Digits(5)),
        2 => ($"{Pick(Cities)}, {Pick(States)} ", $"{Digits(5)}-{Digits(4)}"),
        _ => ($"{Pick(Cities)} {Pick(["NY", "TX", "IL", "WA", "FL"])} ", Digits(5)),
    };

    public string Card()
    {
        var (prefix, length) = random.Next(4) switch
        {
            0 => ("4", 16),
            1 => ("5" + (char)random.Next('1', '6'), 16),
            2 => (Pick(["34", "37"]), 15),
            _ => ("6011", 16),
        };
        var number = PhiTestChecksums.LuhnComplete(prefix + Digits(length - prefix.Length - 1));
        var separator = Pick(["", " ", "-"]);
        return length == 15
            ? string.Join(separator, number[..4], number[4..10], number[10..])
            : string.Join(separator, number[..4], number[4..8], number[8..12], number[12..]);
    }

    // Medicare Beneficiary Identifier: C A AN N A AN N A A N N, no S, L, O, I, B, Z.
    private string Mbi()
    {
        const string letters = "ACDEFGHJKMNPQRTUVWXY";
        char L() => letters[random.Next(letters.Length)];
        char N() => (char)random.Next('0', '9' + 1);
        char AN() => random.Next(2) == 0 ? L() : N();
        return $"{(char)random.Next('1', '9' + 1)}{L()}{AN()}{N()}-{L()}{AN()}{N()}-{L()}{L()}{N()}{N()}";
    }

    private static string Ordinal(int day) => (day % 10, day / 10) switch
    {
        (1, not 1) => "st",
        (2, not 1) => "nd",
        (3, not 1) => "rd",
        _ => "th",
    };

    private static string Invariant(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);
}
