using System.Buffers;
using System.Text.RegularExpressions;

namespace MeshFlow.Governance.Uncertainty;

/// <summary>The source-generated phrase lists <see cref="UncertaintyEstimator.FromText"/> searches; case-insensitive.</summary>
/// <remarks>
/// Words within a phrase are separated by one space, as models write them. Each list has hints: strings one of which
/// every match contains, searched for first (vectorized) so that text without any is not scanned by the list's
/// pattern character by character. A pattern changed without its hints fails <c>UncertaintyPatternHintTests</c>.
/// </remarks>
internal static partial class UncertaintyPatterns
{
    private const RegexOptions Options =
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.IgnorePatternWhitespace;

    private static readonly SearchValues<string> s_hedgeHints = Hints(
        "think", "believe", "guess", "suppose", "assume", "sure", "certain", "confident", "probably", "possib", "perhaps",
        "maybe", "presumably", "likely", "unclear", "might", "hard to", "difficult to", "as far as", "knowledge",
        "correctly", "may or may", "seems", "appears");

    private static readonly SearchValues<string> s_refusalHints = Hints(
        "i can", "unable", "not able", "i won", "i will not", "decline", "have access", "have the ability", "as an ai",
        "against my");

    private static readonly SearchValues<string> s_reversalHints = Hints(
        "actually,", "was wrong", "was mistaken", "was incorrect", "correction:", "i made", "misspoke", "second thought",
        "scratch that", "corrected");

    private static readonly SearchValues<string> s_verdictHints = Hints(
        "approved", "rejected", "denied", "true", "false", "valid", "correct", "compliant", "enforceable", "pass", "fail",
        "safe", "accepted", "declined", "eligible", "prohibited", "permitted", "forbidden", "allowed", "confirmed", "refuted");

    /// <summary>How many hedges the text holds.</summary>
    public static int CountHedges(ReadOnlySpan<char> text) => text.ContainsAny(s_hedgeHints) ? Hedges().Count(text) : 0;

    /// <summary>True when the text refuses.</summary>
    public static bool Refuses(ReadOnlySpan<char> text) => text.ContainsAny(s_refusalHints) && Refusals().IsMatch(text);

    /// <summary>True when the text takes back what it said.</summary>
    public static bool Reverses(ReadOnlySpan<char> text) => text.ContainsAny(s_reversalHints) && Reversals().IsMatch(text);

    /// <summary>The first verdict word (with its negation), or an empty span.</summary>
    public static ReadOnlySpan<char> FirstVerdict(ReadOnlySpan<char> text)
    {
        if (text.ContainsAny(s_verdictHints))
        {
            foreach (var match in Verdicts().EnumerateMatches(text))
            {
                return text.Slice(match.Index, match.Length);
            }
        }

        return [];
    }

    // "may" alone is not a hedge ("the Tenant may terminate"). Both apostrophes: models write "I’m" as often as "I'm".
    [GeneratedRegex(
        """
        \bI\x20(?:think|believe|guess|suppose|assume|would\x20guess)\b
        |\bI(?:['’]m|\x20am)\x20not\x20(?:entirely\x20|completely\x20|totally\x20|100%\x20)?(?:sure|certain|confident)\b
        |\bnot\x20(?:entirely\x20|completely\x20|totally\x20|100%\x20)?(?:sure|certain)\b
        |\b(?:probably|possibly|perhaps|maybe|presumably|likely|unlikely|unclear|uncertain)\b
        |\bmight\b
        |\bit(?:\x20is|['’]s)\x20(?:possible|unclear|hard\x20to\x20say|difficult\x20to\x20say)\b
        |\b(?:hard|difficult)\x20to\x20(?:say|tell|determine)\b
        |\bas\x20far\x20as\x20I\x20(?:know|can\x20tell)\b
        |\bto\x20(?:the\x20best\x20of\x20)?my\x20knowledge\b
        |\bif\x20I\x20(?:recall|remember)\x20correctly\b
        |\bmay\x20or\x20may\x20not\b
        |\b(?:it\x20)?(?:seems|appears)\x20(?:to|that|like)\b
        |\bmy\x20best\x20guess\b
        |\b(?:can['’]t|cannot)\x20be\x20(?:sure|certain)\b
        """,
        Options)]
    internal static partial Regex Hedges();

    [GeneratedRegex(
        """
        \bI\x20(?:can['’]?t|cannot|can\x20not)\b
        |\bI(?:['’]m|\x20am)\x20(?:unable|not\x20able)\x20to\b
        |\bI\x20(?:won['’]t|will\x20not)\b
        |\bI\x20(?:must|have\x20to|need\x20to)\x20decline\b
        |\bI\x20(?:do\x20not|don['’]t)\x20have\x20(?:access|the\x20ability)\b
        |\bas\x20an\x20AI\b
        |\bagainst\x20my\x20(?:guidelines|policies|policy|programming)\b
        |\bnot\x20able\x20to\x20(?:help|assist)\b
        """,
        Options)]
    internal static partial Regex Refusals();

    [GeneratedRegex(
        """
        (?:^|[.!?\n]\s*)actually,\s
        |\bI\x20was\x20(?:wrong|mistaken|incorrect)\b
        |\bcorrection:
        |\bI\x20made\x20(?:a|an)\x20(?:mistake|error)\b
        |\bI\x20misspoke\b
        |\bon\x20second\x20thought\b
        |\bscratch\x20that\b
        |\bI\x20stand\x20corrected\b
        |\bmy\x20(?:previous|earlier|last)\x20(?:answer|response|reply)\x20was\x20(?:wrong|incorrect|mistaken)\b
        """,
        Options)]
    internal static partial Regex Reversals();

    // A verdict word, with the negation in front of it when there is one ("is not approved", "isn't valid").
    [GeneratedRegex(
        """
        (?:\b(?:not|never)\s+|n['’]t\s+)?
        \b(?:approved|rejected|denied|true|false|valid|invalid|correct|incorrect|non-?compliant|compliant
           |unenforceable|enforceable|passed|failed|passes|fails|unsafe|safe|accepted|declined|ineligible|eligible
           |prohibited|permitted|forbidden|allowed|confirmed|refuted)\b
        """,
        Options)]
    internal static partial Regex Verdicts();

    private static SearchValues<string> Hints(params string[] hints) => SearchValues.Create(hints, StringComparison.OrdinalIgnoreCase);
}
