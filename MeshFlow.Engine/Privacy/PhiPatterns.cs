using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace MeshFlow.Privacy;

/// <summary>The source-generated patterns <see cref="PhiScrubber"/> runs; each finds candidates that code then checks.</summary>
/// <remarks>
/// No pattern nests quantifiers or puts two over the same characters side by side, so an attempt that fails costs at
/// most the length of one token; and every pattern uses only what <see cref="RegexOptions.NonBacktracking"/> supports:
/// no lookarounds, no backreferences, no atomic groups. Boundaries that need a look behind are checked in code (<see cref="PhiText"/>). The match timeout is a
/// backstop: when it fires, <see cref="Linear"/> runs the same pattern on the non-backtracking engine, whose time is
/// linear in the input, so a scan always finishes and never throws.
/// </remarks>
internal static partial class PhiPatterns
{
    private const RegexOptions Options =
        RegexOptions.CultureInvariant | RegexOptions.IgnorePatternWhitespace | RegexOptions.ExplicitCapture;

    private const int TimeoutMilliseconds = 1000;

    // A JSON escape glues its letter to the word after it ("\nMRN"); the keyword patterns accept it in place of \b.
    private const string WordStart = @"(?:\b|\\[nrtbf])";

    // A month's first three letters and up to six more; the word is checked in code ("Sept", "March", not "Marching").
    private const string Month =
        "(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec|JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)[A-Za-z]{0,6}";

    private const string StateAbbreviation =
        """
        (?:AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH
          |OK|OR|PA|PR|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY)
        """;

    // Without a comma in front, the abbreviations that are also English words (ID, IN, OR, OK, ME, HI, OH) do not mark
    // a ZIP code: "Patient ID 12345" is not an address.
    private const string DistinctStateAbbreviation =
        """
        (?:AL|AK|AZ|AR|CA|CO|CT|DE|DC|FL|GA|IL|IA|KS|KY|LA|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND
          |PA|PR|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY)
        """;

    private const string StateName =
        """
        (?:Alabama|Alaska|Arizona|Arkansas|California|Colorado|Connecticut|Delaware|Florida|Georgia|Hawaii|Idaho
          |Illinois|Indiana|Iowa|Kansas|Kentucky|Louisiana|Maine|Maryland|Massachusetts|Michigan|Minnesota|Mississippi
          |Missouri|Montana|Nebraska|Nevada|New\x20Hampshire|New\x20Jersey|New\x20Mexico|New\x20York|North\x20Carolina
          |North\x20Dakota|Ohio|Oklahoma|Oregon|Pennsylvania|Rhode\x20Island|South\x20Carolina|South\x20Dakota|Tennessee
          |Texas|Utah|Vermont|Virginia|Washington|West\x20Virginia|Wisconsin|Wyoming)
        """;

    private const string ZipValue = @"[0-9]{5}(?:-[0-9]{4})?";

    // A capitalized word: Smith, O'Brien, McDonald, Smith-Jones, Núñez.
    private const string Token = @"\p{Lu}(?:['’]\p{Lu})?\p{Ll}+(?:\p{Lu}\p{Ll}+)?(?:-\p{Lu}\p{Ll}+)?";
    private const string Initial = @"\p{Lu}\.";
    private const string FullName = "(?:" + Initial + @"\x20)?" + Token + @"(?:\x20(?:" + Initial + @"\x20)?" + Token + "){0,2}";
    private const string Title = "(?:Dr|Mrs|Mr|Ms|Mx|Prof|Miss|Doctor)";

    private const string TitleCue = WordStart + Title + @"\.?";

    private const string StrongCue = WordStart +
        """
        (?i:name|seen\x20by|referred\x20by|signed\x20by|cosigned\x20by|dictated\x20by|son|daughter|wife|husband|mother
          |father|brother|sister|spouse|guardian|grandson|granddaughter|grandmother|grandfather|niece|nephew|aunt|uncle
          |fianc[ée]e?)[:,]?
        """;

    private const string WeakCue = WordStart +
        """
        (?i:patient|pt\.?|contact|attending|resident|nurse|provider|physician|caregiver|partner|friend|neighbou?r
          |employer)[:,]?
        """;

    // Between a cue and the name: a space or two, perhaps a title ("seen by Dr. Smith").
    private const string CueTail = @"[\x20\t]{1,2}(?:" + Title + @"\.?\x20{1,2})?";

    // "Smith, John" (after a label) or up to three capitalized words with initials.
    private const string CuedValue = "(?:" + Token + @",\x20" + Token + "|" + FullName + ")";

    // Between a label and its value: "MRN: 123", "member ID # 123", "account number is 123".
    private const string Filler = @"[\x20\t]*(?:(?:\#|:|=|-|number\b|no\b\.?|num\b|nbr\b|is\b|ID\b)[\x20\t]*){0,3}";

    private static readonly ConcurrentDictionary<Regex, Regex> LinearCache = new();

    /// <summary>Every pattern, for the test that runs each one on the non-backtracking engine as well.</summary>
    public static IReadOnlyList<Regex> All =>
    [
        Ssn(), NumericDate(), WrittenDate(), Phone(), IPv4(), IPv6(), Mac(), Vin(), Card(), Zip(), Labelled(), CuedName(),
        TitleCuePrefix(), StrongCuePrefix(), WeakCuePrefix(), NamePair(),
    ];

    /// <summary>The same pattern on the non-backtracking engine: linear time, no timeout.</summary>
    public static Regex Linear(Regex pattern) => LinearCache.GetOrAdd(pattern, static generated =>
        new Regex(generated.ToString(), generated.Options | RegexOptions.NonBacktracking, Regex.InfiniteMatchTimeout));

    /// <summary>123-45-6789 or 123 45 6789.</summary>
    [GeneratedRegex(@"[0-9]{3}-[0-9]{2}-[0-9]{4} | [0-9]{3}\x20[0-9]{2}\x20[0-9]{4}", Options, TimeoutMilliseconds)]
    public static partial Regex Ssn();

    /// <summary>
    /// 1962-03-14, 03/14/1962, 3-14-62, 14.03.1962, 3/14; which part is which, and whether a month and day without a
    /// year are a date, is decided in code.
    /// </summary>
    [GeneratedRegex(
        """
        [0-9]{4}[-/.][0-9]{1,2}[-/.][0-9]{1,2}
        |[0-9]{1,2}[-/.][0-9]{1,2}(?:[-/.](?:[0-9]{4}|[0-9]{2}))?
        """,
        Options, TimeoutMilliseconds)]
    public static partial Regex NumericDate();

    /// <summary>March 14, 1962; Mar. 14th; 14 Mar 1962; 14-MAR-1962; the 14th of March.</summary>
    [GeneratedRegex(
        Month + @"\.?\x20{1,2}[0-9]{1,2}(?:st|nd|rd|th)?(?:,?\x20{1,2}[0-9]{4})?"
        + "|[0-9]{1,2}(?:st|nd|rd|th)?(?:\\x20{1,2}(?:of\\x20)?|-)" + Month + @"\.?(?:,?\x20{1,2}[0-9]{4}|-[0-9]{4}|-[0-9]{2})?",
        Options, TimeoutMilliseconds)]
    public static partial Regex WrittenDate();

    /// <summary>A North American number: optional +1, area code (in parentheses or not), extension.</summary>
    [GeneratedRegex(
        """
        (?:\+?1[-.\x20]?)?
        (?:\([2-9][0-9]{2}\)\x20?|[2-9][0-9]{2}[-.\x20])
        [2-9][0-9]{2}[-.\x20][0-9]{4}
        (?:\x20?(?:[xX]|[eE]xt\.?|[eE]xtension)\x20?[0-9]{1,6})?
        """,
        Options, TimeoutMilliseconds)]
    public static partial Regex Phone();

    /// <summary>A dotted quad; the octets are checked in code.</summary>
    [GeneratedRegex(@"[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}", Options, TimeoutMilliseconds)]
    public static partial Regex IPv4();

    /// <summary>Colon-separated hex groups, perhaps ending in a dotted quad; the address is checked in code.</summary>
    [GeneratedRegex(
        @"[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}(?:\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3})?",
        Options, TimeoutMilliseconds)]
    public static partial Regex IPv6();

    /// <summary>A MAC address: six hex pairs.</summary>
    [GeneratedRegex(@"[0-9A-Fa-f]{2}(?:[:-][0-9A-Fa-f]{2}){5}", Options, TimeoutMilliseconds)]
    public static partial Regex Mac();

    /// <summary>A run of at least 17 capitals and digits; a VIN is exactly 17 with a valid check digit.</summary>
    [GeneratedRegex("[A-Z0-9]{17,}", Options, TimeoutMilliseconds)]
    public static partial Regex Vin();

    /// <summary>13 or more digits, or groups of four (4-4-4-x) or the 4-6-5 of American Express.</summary>
    [GeneratedRegex(
        """
        [0-9]{13,}
        |[0-9]{4}(?:[-\x20][0-9]{4}){2}[-\x20][0-9]{1,7}
        |[0-9]{4}[-\x20][0-9]{6}[-\x20][0-9]{4,5}
        """,
        Options, TimeoutMilliseconds)]
    public static partial Regex Card();

    /// <summary>A ZIP code after a state: ", MA 02118", ", Massachusetts 02118", "Boston NY 10001".</summary>
    [GeneratedRegex(
        @",\x20?(?:" + StateAbbreviation + "|" + StateName + @")\.?,?\x20{1,2}" + ZipValue
        + "|" + Token + @"\x20" + DistinctStateAbbreviation + @"\x20{1,2}" + ZipValue,
        Options, TimeoutMilliseconds)]
    public static partial Regex Zip();

    /// <summary>
    /// A value introduced by its label; the group that matched names the type (<c>ssn</c>, <c>mrn</c>, <c>plan</c>,
    /// <c>acct</c>, <c>veh</c>, <c>lic</c>, <c>dev</c>, <c>fax</c>, <c>tel</c>, <c>zip</c>) and <c>v</c> holds the value.
    /// </summary>
    /// <remarks>
    /// A value holds a digit, so a label followed by a word ("MRN pending") is no match and costs no allocation. A plate
    /// may be written in two parts ("ABC 1234"). "license plate" is tried before "license", so a plate is not taken for
    /// a licence. Two-letter labels that are also clinical abbreviations ("SN", "DL", where dL is a decilitre) match in
    /// capitals only.
    /// </remarks>
    [GeneratedRegex(
        WordStart +
        """
        (?:
          (?<ssn>(?:SSN|social\x20security(?:\x20number)?)\b|SS\x20?\#)
        | (?<mrn>(?:MRN|medical\x20record(?:\x20number)?|med\x20rec|chart|patient\x20ID|hospital\x20number|record\x20number)\b|MR\x20?\#)
        | (?<plan>(?:member|subscriber|policy|beneficiary|health\x20plan|insurance|Medicare|Medicaid|MBI|HICN)\b)
        | (?<acct>(?:account|acct|A/C)\b)
        | (?<veh>(?:VIN|vehicle\x20identification\x20number|(?:licen[cs]e\x20)?plate)\b)
        | (?<lic>(?:licen[cs]e|lic|DEA|NPI|certificate|cert|(?-i:DL))\b)
        | (?<dev>(?:serial|S/N|(?-i:SN)|device(?:\x20identifier)?|UDI|IMEI|implant|MAC\x20address)\b)
        | (?<fax>(?:fax(?:ed\x20to)?|facsimile)\b)
        | (?<tel>(?:telephone|phone|tel|cell|mobile|pager|call)\b)
        | (?<zip>(?:zip(?:\x20?code)?|postal\x20code)\b)
        )
        """
        + Filler +
        """
        (?<v>
          \([0-9]{2,4}\)[A-Za-z0-9]{1,20}(?:\([0-9]{2,4}\)[A-Za-z0-9]{1,20}){0,7}
        | (?-i:[A-Z]{1,4}\x20[0-9]{1,5})
        | \+?(?:[A-Za-z](?:[-/.]?[A-Za-z]){0,28}[-/.]?)?[0-9](?:[-/.]?[A-Za-z0-9]){0,29}
        )
        """,
        Options | RegexOptions.IgnoreCase, TimeoutMilliseconds)]
    public static partial Regex Labelled();

    /// <summary>
    /// A name after a title, after a label that names a person ("Name:", "seen by", "wife"), or after a word that often
    /// does ("patient", "pt"). Which of the three it is, and where the name starts, the cue patterns below tell.
    /// </summary>
    [GeneratedRegex("(?:" + TitleCue + "|" + StrongCue + "|" + WeakCue + ")" + CueTail + CuedValue, Options, TimeoutMilliseconds)]
    public static partial Regex CuedName();

    /// <summary>The title in front of a <see cref="CuedName"/> match, anchored at its start.</summary>
    [GeneratedRegex("^" + TitleCue + CueTail, Options, TimeoutMilliseconds)]
    public static partial Regex TitleCuePrefix();

    /// <summary>The label that names a person in front of a <see cref="CuedName"/> match, anchored at its start.</summary>
    [GeneratedRegex("^" + StrongCue + CueTail, Options, TimeoutMilliseconds)]
    public static partial Regex StrongCuePrefix();

    /// <summary>The word that often names a person in front of a <see cref="CuedName"/> match, anchored at its start.</summary>
    [GeneratedRegex("^" + WeakCue + CueTail, Options, TimeoutMilliseconds)]
    public static partial Regex WeakCuePrefix();

    /// <summary>Two or three capitalized words in a row; the first must be a common given name (checked in code).</summary>
    [GeneratedRegex(Token + @"\x20(?:" + Initial + @"\x20)?" + Token + @"(?:\x20" + Token + ")?", Options, TimeoutMilliseconds)]
    public static partial Regex NamePair();
}
