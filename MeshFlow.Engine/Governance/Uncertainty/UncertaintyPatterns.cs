using System.Text.RegularExpressions;

namespace MeshFlow.Governance.Uncertainty;

/// <summary>The source-generated phrase lists <see cref="UncertaintyEstimator.FromText"/> searches; case-insensitive.</summary>
internal static partial class UncertaintyPatterns
{
    private const RegexOptions Options =
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.IgnorePatternWhitespace;

    // Both apostrophes: models write "I’m" as often as "I'm". "may" alone is not a hedge ("the Tenant may terminate").
    [GeneratedRegex(
        """
        \bI\s+(?:think|believe|guess|suppose|assume|would\s+guess)\b
        |\bI(?:['’]m|\s+am)\s+not\s+(?:entirely\s+|completely\s+|totally\s+|100%\s+)?(?:sure|certain|confident)\b
        |\bnot\s+(?:entirely\s+|completely\s+|totally\s+|100%\s+)?(?:sure|certain)\b
        |\b(?:probably|possibly|perhaps|maybe|presumably|likely|unlikely|unclear|uncertain)\b
        |\bmight\b
        |\bit(?:\s+is|['’]s)\s+(?:possible|unclear|hard\s+to\s+say|difficult\s+to\s+say)\b
        |\b(?:hard|difficult)\s+to\s+(?:say|tell|determine)\b
        |\bas\s+far\s+as\s+I\s+(?:know|can\s+tell)\b
        |\bto\s+(?:the\s+best\s+of\s+)?my\s+knowledge\b
        |\bif\s+I\s+(?:recall|remember)\s+correctly\b
        |\bmay\s+or\s+may\s+not\b
        |\b(?:it\s+)?(?:seems|appears)\s+(?:to\b|that\b|like\b)
        |\bmy\s+best\s+guess\b
        |\b(?:can['’]t|cannot)\s+be\s+(?:sure|certain)\b
        """,
        Options)]
    internal static partial Regex Hedges();

    [GeneratedRegex(
        """
        \bI\s+(?:can['’]?t|cannot|can\s+not)\b
        |\bI(?:['’]m|\s+am)\s+(?:unable|not\s+able)\s+to\b
        |\bI\s+(?:won['’]t|will\s+not)\b
        |\bI\s+(?:must|have\s+to|need\s+to)\s+decline\b
        |\bI\s+(?:do\s+not|don['’]t)\s+have\s+(?:access|the\s+ability)\b
        |\bas\s+an\s+AI\b
        |\bagainst\s+my\s+(?:guidelines|policies|policy|programming)\b
        |\bnot\s+able\s+to\s+(?:help|assist)\b
        """,
        Options)]
    internal static partial Regex Refusals();

    [GeneratedRegex(
        """
        (?:^|[.!?\n]\s*)actually,\s
        |\bI\s+was\s+(?:wrong|mistaken|incorrect)\b
        |\bcorrection:
        |\bI\s+made\s+(?:a|an)\s+(?:mistake|error)\b
        |\bI\s+misspoke\b
        |\bon\s+second\s+thought\b
        |\bscratch\s+that\b
        |\bI\s+stand\s+corrected\b
        |\bmy\s+(?:previous|earlier|last)\s+(?:answer|response|reply)\s+was\s+(?:wrong|incorrect|mistaken)\b
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
}
