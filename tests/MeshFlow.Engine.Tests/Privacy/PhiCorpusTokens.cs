using System.Globalization;
using MeshFlow.Privacy;

namespace MeshFlow.Tests.Privacy;

/// <summary>
/// Fills a template: <c>{TOKEN}</c> becomes a fresh synthetic value, labelled when it is an identifier
/// (<c>{SSN}</c>, <c>{NAME}</c>) and not when it is a look-alike (<c>{LAB}</c>, <c>{BADSSN}</c>).
/// </summary>
internal sealed class PhiCorpusTokens
{
    private static readonly string[] Given =
        ["Maria", "James", "Linda", "Robert", "Priya", "Marcus", "Ellen", "David", "Aisha", "Carlos", "Susan", "Kevin", "Mei",
         "Tyrone", "Olivia", "Ahmed", "Hannah", "Luis", "Keisha", "Dmitri", "Margaret", "Jose", "Naomi", "Walter"];

    // Given names the scrubber's list does not hold: found only where a cue stands in front of them.
    private static readonly string[] RareGiven =
        ["Xiomara", "Oluwaseun", "Thandiwe", "Bartholomew", "Ines", "Kalani", "Siddharth", "Yerlan", "Anouk", "Tadeo", "Zofia", "Eamon"];

    private static readonly string[] Surnames =
        ["Garcia", "Okafor", "Nguyen", "Whitfield", "O'Brien", "Kowalski", "Haddad", "Raman", "McDonald", "Smith-Jones", "Núñez",
         "Baptiste", "Quispe", "Lindqvist", "Abernathy", "Tanaka", "Osei", "Petrov", "Delacroix", "Yazzie", "Moreau", "Brennan"];

    private readonly PhiValues _values;
    private readonly Random _random;
    private readonly Dictionary<string, Action<PhiSampleBuilder>> _tokens;

    public PhiCorpusTokens(Random random)
    {
        _random = random;
        _values = new PhiValues(random);
        var v = _values;
        _tokens = new Dictionary<string, Action<PhiSampleBuilder>>
        {
            ["NAME"] = b => b.Phi(PhiType.Name, $"{v.Pick(Given)} {v.Pick(Surnames)}"),
            ["RNAME"] = b => b.Phi(PhiType.Name, $"{v.Pick(RareGiven)} {v.Pick(Surnames)}"),
            ["GIVEN"] = b => b.Phi(PhiType.Name, v.Pick(Given)),
            ["RGIVEN"] = b => b.Phi(PhiType.Name, v.Pick(RareGiven)),
            ["SURNAME"] = b => b.Phi(PhiType.Name, v.Pick(Surnames)),
            ["LASTFIRST"] = b => b.Phi(PhiType.Name, $"{v.Pick(Surnames)}, {v.Pick(RareGiven)}"),
            ["SSN"] = b => b.Phi(PhiType.Ssn, v.Ssn()),
            ["SSN_BARE"] = b => b.Phi(PhiType.Ssn, v.SsnBare()),
            ["DATE"] = b => b.Phi(PhiType.Date, v.Date()),
            ["MONTHDAY"] = b => b.Phi(PhiType.Date, v.MonthDay()),
            ["PHONE"] = b => b.Phi(PhiType.Phone, v.Phone()),
            ["PHONE_BARE"] = b => b.Phi(PhiType.Phone, v.PhoneBare()),
            ["PHONE_LOCAL"] = b => b.Phi(PhiType.Phone, v.PhoneLocal()),
            ["FAX"] = b => b.Phi(PhiType.Fax, v.Phone()),
            ["FAX_BARE"] = b => b.Phi(PhiType.Fax, v.PhoneBare()),
            ["EMAIL"] = b => b.Phi(PhiType.Email, v.Email(v.Pick(Given), v.Pick(Surnames))),
            ["MRN"] = b => b.Phi(PhiType.Mrn, v.Mrn()),
            ["PLAN"] = b => b.Phi(PhiType.HealthPlan, v.HealthPlan()),
            ["ACCT"] = b => b.Phi(PhiType.Account, v.Account()),
            ["DEA"] = b => b.Phi(PhiType.License, v.Dea()),
            ["NPI"] = b => b.Phi(PhiType.License, v.Npi()),
            ["DL"] = b => b.Phi(PhiType.License, v.DriverLicense()),
            ["LICNUM"] = b => b.Phi(PhiType.License, $"{v.Pick(["MD", "RN", "LP", "PA"])}{v.Digits(6)}"),
            ["VIN"] = b => b.Phi(PhiType.Vehicle, v.Vin()),
            ["PLATE"] = b => b.Phi(PhiType.Vehicle, v.Plate()),
            ["SERIAL"] = b => b.Phi(PhiType.Device, v.Serial()),
            ["UDI"] = b => b.Phi(PhiType.Device, v.Udi()),
            ["IMEI"] = b => b.Phi(PhiType.Device, v.Imei()),
            ["MAC"] = b => b.Phi(PhiType.Device, v.Mac()),
            ["IP4"] = b => b.Phi(PhiType.IpAddress, v.IPv4()),
            ["IP6"] = b => b.Phi(PhiType.IpAddress, v.IPv6()),
            ["IP4MAPPED"] = b => b.Phi(PhiType.IpAddress, v.MappedIPv4()),
            ["URL"] = b => b.Phi(PhiType.Url, v.Url(v.Pick(Surnames))),
            ["CITYZIP"] = b =>
            {
                var (before, zip) = v.CityZip();
                b.Text(before).Phi(PhiType.Zip, zip);
            },
            ["ZIP"] = b => b.Phi(PhiType.Zip, _random.Next(3) == 0 ? $"{v.Digits(5)}-{v.Digits(4)}" : v.Digits(5)),
            ["CARD"] = b => b.Phi(PhiType.CardNumber, v.Card()),

            ["LAB"] = b => b.Text(Lab()),
            ["BP"] = b => b.Text(Invariant($"{_random.Next(100, 180)}/{_random.Next(55, 100)}")),
            ["TIME"] = b => b.Text(_random.Next(3) switch
            {
                0 => Invariant($"{_random.Next(0, 24):00}:{_random.Next(0, 60):00}"),
                1 => Invariant($"{_random.Next(0, 24):00}:{_random.Next(0, 60):00}:{_random.Next(0, 60):00}"),
                _ => Invariant($"{_random.Next(1, 13)}:{_random.Next(0, 60):00} {v.Pick(["AM", "PM", "am", "pm"])}"),
            }),
            ["YEAR"] = b => b.Text(Invariant($"{_random.Next(1950, 2026)}")),
            ["VERSION"] = b => b.Text(Invariant($"{_random.Next(0, 12)}.{_random.Next(0, 20)}.{_random.Next(0, 30)}")),
            ["VERSION4"] = b => b.Text(Invariant($"{_random.Next(1, 12)}.{_random.Next(0, 10)}.{_random.Next(0, 10)}.{_random.Next(0, 250)}")),
            ["BADSSN"] = b => b.Text(BadSsn()),
            ["BADCARD"] = b => b.Text(BadCard()),
            ["ORDER"] = b => b.Text(v.Digits(_random.Next(6, 11), '1')),
            ["LONGNUMBER"] = b => b.Text(LongNumber()),
            ["ICD"] = b => b.Text(v.Pick(["E11.9", "I10", "Z79.4", "M54.5", "J45.909", "K21.0", "N18.3", "F32.A", "I48.91", "E78.5", "R07.9", "Z23"])),
            ["CPT"] = b => b.Text(v.Pick(["99213", "99214", "93000", "80053", "36415", "71046", "G0439"])),
            ["NDC"] = b => b.Text($"{v.Digits(4)}-{v.Digits(4)}-{v.Digits(2)}"),
            ["DRUG"] = b => b.Text(v.Pick(["Eliquis", "Metformin", "Lisinopril", "Xarelto", "Lipitor", "Ozempic", "Synthroid", "Keppra", "Lasix", "Norvasc"])),
            ["DOSE"] = b => b.Text(Invariant($"{_random.Next(1, 100) * 5} mg")),
            ["DEPT"] = b => b.Text(v.Pick(["Cardiology", "Neurology", "Physical Therapy", "Social Work", "Oncology", "Pulmonology", "Psychiatry", "Dermatology"])),
            ["PLACE"] = b => b.Text(v.Pick(["Jackson Memorial Hospital", "Austin Regional Clinic", "Madison Avenue", "Lincoln Medical Center",
                "Mason General Hospital", "Charlotte Street Pharmacy", "Jordan Valley Health Center", "Kevin Smith Foundation"])),
            ["BADPHONE"] = b => b.Text(v.Pick(["123-456-7890", "011-555-1234", "555-123-045", "(123) 456-7890", "1-023-555-0199"])),
            ["BADIP"] = b => b.Text(Invariant($"{_random.Next(256, 999)}.{_random.Next(0, 256)}.{_random.Next(0, 256)}.{_random.Next(0, 256)}")),
            ["BADVIN"] = b => b.Text(v.VinWithWrongCheckDigit()),
            ["RELEASE"] = b => b.Text(Invariant($"{_random.Next(2015, 2026)}.{_random.Next(1, 13)}.{_random.Next(1, 29)}")),
            ["BADDATE"] = b => b.Text(Invariant($"{_random.Next(13, 20)}/{_random.Next(32, 60)}/{_random.Next(1990, 2024)}")),
        };
    }

    /// <summary>The template with every token filled; the text between tokens is kept as written.</summary>
    public PhiSample Fill(string template)
    {
        var builder = new PhiSampleBuilder();
        var at = 0;
        while (at < template.Length)
        {
            var open = template.IndexOf('{', at);
            if (open < 0)
            {
                builder.Text(template[at..]);
                break;
            }

            var close = template.IndexOf('}', open);
            builder.Text(template[at..open]);
            _tokens[template[(open + 1)..close]](builder);
            at = close + 1;
        }

        return builder.Build();
    }

    private string Lab()
    {
        var r = _random;
        return r.Next(10) switch
        {
            0 => Invariant($"WBC {r.Next(30, 150) / 10.0:0.0}"),
            1 => Invariant($"Hgb {r.Next(80, 170) / 10.0:0.0} g/dL"),
            2 => Invariant($"Plt {r.Next(90, 450)}"),
            3 => Invariant($"Na {r.Next(128, 148)}"),
            4 => Invariant($"K {r.Next(30, 56) / 10.0:0.0}"),
            5 => Invariant($"Cr {r.Next(50, 250) / 100.0:0.00}"),
            6 => Invariant($"A1c {r.Next(50, 120) / 10.0:0.0}%"),
            7 => Invariant($"INR {r.Next(9, 40) / 10.0:0.0}"),
            8 => Invariant($"TSH {r.Next(20, 600) / 100.0:0.00}"),
            _ => Invariant($"LDL {r.Next(50, 220)} mg/dL"),
        };
    }

    private string BadSsn() => _random.Next(5) switch
    {
        0 => $"000-{_values.Digits(2, '1')}-{_values.Digits(4, '1')}",
        1 => $"666-{_values.Digits(2, '1')}-{_values.Digits(4, '1')}",
        2 => $"9{_values.Digits(2)}-{_values.Digits(2, '1')}-{_values.Digits(4, '1')}",
        3 => $"{_values.Digits(3, '1')}-00-{_values.Digits(4, '1')}",
        _ => $"{_values.Digits(3, '1')}-{_values.Digits(2, '1')}-0000",
    };

    private string BadCard()
    {
        var number = PhiTestChecksums.LuhnInvalid(_values.Pick(["4", "5", "6"]) + _values.Digits(15));
        return _random.Next(3) switch
        {
            0 => number,
            1 => string.Join(" ", number[..4], number[4..8], number[8..12], number[12..]),
            _ => string.Join("-", number[..4], number[4..8], number[8..12], number[12..]),
        };
    }

    // A specimen or trace number of 20 or more digits: too long to be a card, a phone number or an SSN.
    private string LongNumber() => _values.Digits(_random.Next(20, 26), '1');

    private static string Invariant(FormattableString value) => value.ToString(CultureInfo.InvariantCulture);
}
