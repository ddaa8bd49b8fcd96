using System.Text.RegularExpressions;

namespace MeshFlow.Privacy;

/// <summary>
/// Recognizes the HIPAA Safe Harbor identifiers that have a shape (<see cref="PhiType"/>) and replaces each with a
/// marker, <c>[PHI-REDACTED:TYPE]</c>.
/// </summary>
/// <remarks>
/// <para>
/// Structured identifiers are recognized by shape and checked: an SSN is three, two and four digits separated by
/// dashes or spaces from an issuable range (not area 000, 666 or 900-999, group 00, serial 0000), or nine bare digits
/// after "SSN" or "social security"; a card number is 13-19 digits (groups of four, or 4-6-5) starting 2-6 and passing
/// the Luhn check; a VIN is 17 capitals and digits with a valid check digit; an IPv4 address has four octets of
/// 0-255; an IPv6 address parses and holds a digit; an email address has a domain with a top-level label of letters;
/// a URL starts with <c>http://</c>, <c>https://</c> or <c>www.</c>. A date is numeric (03/14/1962, 1962-03-14,
/// 14.03.1962) or written (March 14, 1962; 14 Mar 1962; 14-MAR-62) and is a real calendar day; a month and day
/// without a year (3/14) are a date only after a word that says one follows ("on", "since", "seen", "admitted",
/// "DOB"), and a month with a year but no day, or a year alone, is not one. A phone number is a North American number
/// (area code and exchange 2-9, optional +1 and extension); it is a fax number when the nearest label before it says
/// "fax". A number that continues into a longer one (a digit, or a dash or dot followed by a digit, on either side)
/// is none of these, and a dotted date or address after "version", "v", "build" or "release" is a version.
/// </para>
/// <para>
/// Identifiers without a shape of their own are recognized by their label: MRN ("MRN", "medical record", "chart",
/// "patient ID"), health plan ("member", "subscriber", "policy", "beneficiary", "Medicare", "Medicaid", "insurance"),
/// account ("account", "acct"), licence ("license", "licence", "DEA", "NPI", "certificate", "DL"), vehicle ("VIN",
/// "plate"), device ("serial", "S/N", "device", "UDI", "IMEI", "implant"; a MAC address needs no label), fax and
/// phone ("fax", "phone", "tel", "cell", "call"). The value after a label holds four characters and three digits,
/// five when it is digits only. A ZIP code follows "ZIP" or "postal code", or a state: after a comma
/// (", MA 02118", ", Massachusetts 02118"), or after a city without one ("Boston MA 02118"), except for the states
/// whose abbreviations are English words (ID, IN, OR, OK, ME, HI, OH).
/// </para>
/// <para>
/// Person names are found by a heuristic, and its recall is lower than the rest's. A capitalized word, or up to three
/// (with initials between), is a name when it follows a title (Dr., Mr., Mrs., Ms., Mx., Prof., Miss, Doctor); when it
/// follows a word that introduces a person ("Name:", "seen by", "referred by", "signed by", "dictated by", "son",
/// "daughter", "wife", "husband", "mother", "father", a sibling, a guardian...); when it follows "patient", "pt",
/// "contact", "nurse" and similar words and either starts with a common given name or is two names with no
/// non-name word among them; or, with no cue at all, when it is two or three capitalized words whose first is one of a
/// few hundred common US given names. Words that are not names (note headings such as "Instructions", departments,
/// days, months) never start a name and are dropped from its end, and a weakly cued name followed by an institution
/// word ("Jackson Memorial Hospital", "Madison Avenue") is a place. A surname alone, or a rare given name, with no cue
/// is not found; a given name followed by a capitalized word that is not a name ("Marcus Gunn pupil", "Virginia Mason")
/// is taken for one.
/// </para>
/// <para>
/// Overlapping recognitions merge into one match over their union, so nothing a detector flagged stays in the clear.
/// No match holds a double quote, a backslash or a line break, and none starts inside an escape sequence, so scrubbing
/// the text of a JSON document leaves valid JSON. The text is searched as written, though: a character a serializer
/// escaped (System.Text.Json escapes letters beyond ASCII and <c>+</c> by default) is not read through its escape, so
/// "N\u00FA\u00F1ez" is no name. Scrub a value before it is serialized where that is possible.
/// </para>
/// <para>
/// Every pattern is linear in the length of the input, and the scrubber never throws on odd input (lone surrogates,
/// replacement characters, megabytes of digits). Text in which nothing is found is searched without allocating, but
/// for a label followed by a value with a digit that turns out to be no identifier ("serial 12-lead").
/// </para>
/// </remarks>
public static class PhiScrubber
{
    private delegate void Detector(string text, Regex pattern, ref PhiCandidates found);

    /// <summary>The identifiers in the text, non-overlapping and ordered by start.</summary>
    /// <param name="text">The text to search.</param>
    /// <returns>The matches; an empty list (no allocation) when there are none.</returns>
    public static IReadOnlyList<PhiMatch> Find(string text) => Find(text, linear: false);

    /// <summary>The text with every identifier replaced by its <see cref="Marker"/>.</summary>
    /// <param name="text">The text to scrub.</param>
    /// <returns>The scrubbed text, or the same instance when nothing was found.</returns>
    public static string Scrub(string text) => Scrub(text, out _);

    /// <summary>The text with every identifier replaced by its <see cref="Marker"/>.</summary>
    /// <param name="text">The text to scrub.</param>
    /// <param name="count">How many identifiers were replaced.</param>
    /// <returns>The scrubbed text, or the same instance when nothing was found.</returns>
    public static string Scrub(string text, out int count)
    {
        var matches = Find(text);
        count = matches.Count;
        if (count == 0)
        {
            return text;
        }

        var length = text.Length;
        for (var i = 0; i < matches.Count; i++)
        {
            length += PhiTypes.Marker(matches[i].Type).Length - matches[i].Length;
        }

        return string.Create(length, (text, matches), static (buffer, state) =>
        {
            var (source, found) = state;
            var read = 0;
            for (var i = 0; i < found.Count; i++)
            {
                var match = found[i];
                source.AsSpan(read, match.Start - read).CopyTo(buffer);
                buffer = buffer[(match.Start - read)..];
                var marker = PhiTypes.Marker(match.Type);
                marker.CopyTo(buffer);
                buffer = buffer[marker.Length..];
                read = match.Start + match.Length;
            }

            source.AsSpan(read).CopyTo(buffer);
        });
    }

    /// <summary>The marker that replaces an identifier of the type, such as <c>[PHI-REDACTED:SSN]</c>.</summary>
    /// <param name="type">The kind of identifier.</param>
    /// <returns>The marker.</returns>
    public static string Marker(PhiType type) => PhiTypes.Marker(type);

    /// <summary>
    /// The identifiers in the text; with <paramref name="linear"/>, every pattern runs on the non-backtracking engine,
    /// as it does after a timeout.
    /// </summary>
    internal static IReadOnlyList<PhiMatch> Find(string text, bool linear)
    {
        ArgumentNullException.ThrowIfNull(text);
        var found = new PhiCandidates();

        // Every shaped or labelled identifier holds a digit; prose without one skips their patterns.
        if (text.AsSpan().IndexOfAnyInRange('0', '9') >= 0)
        {
            Run(text, PhiPatterns.Ssn(), PhiShapeDetectors.Ssn, linear, ref found);
            Run(text, PhiPatterns.NumericDate(), PhiShapeDetectors.NumericDate, linear, ref found);
            Run(text, PhiPatterns.WrittenDate(), PhiShapeDetectors.WrittenDate, linear, ref found);
            Run(text, PhiPatterns.Phone(), PhiShapeDetectors.Phone, linear, ref found);
            Run(text, PhiPatterns.IPv4(), PhiShapeDetectors.IPv4, linear, ref found);
            Run(text, PhiPatterns.IPv6(), PhiShapeDetectors.IPv6, linear, ref found);
            Run(text, PhiPatterns.Mac(), PhiShapeDetectors.Mac, linear, ref found);
            Run(text, PhiPatterns.Vin(), PhiShapeDetectors.Vin, linear, ref found);
            Run(text, PhiPatterns.Card(), PhiShapeDetectors.Card, linear, ref found);
            Run(text, PhiPatterns.Zip(), PhiShapeDetectors.Zip, linear, ref found);
            Run(text, PhiPatterns.Labelled(), PhiLabelDetector.Labelled, linear, ref found);
        }

        PhiAddressDetectors.Email(text, ref found);
        PhiAddressDetectors.Url(text, ref found);
        Run(text, PhiPatterns.CuedName(), PhiNameDetector.Cued, linear, ref found);
        Run(text, PhiPatterns.NamePair(), PhiNameDetector.Pairs, linear, ref found);
        return found.Resolve();
    }

    private static void Run(string text, Regex pattern, Detector detector, bool linear, ref PhiCandidates found)
    {
        if (linear)
        {
            detector(text, PhiPatterns.Linear(pattern), ref found);
            return;
        }

        try
        {
            detector(text, pattern, ref found);
        }
        catch (RegexMatchTimeoutException)
        {
            // What the detector added before the timeout is found again; overlapping recognitions merge.
            detector(text, PhiPatterns.Linear(pattern), ref found);
        }
    }
}
