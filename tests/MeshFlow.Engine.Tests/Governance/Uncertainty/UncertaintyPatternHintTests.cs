using MeshFlow.Governance.Uncertainty;

namespace MeshFlow.Tests.Governance.Uncertainty;

/// <summary>The hints in front of each phrase list must let through every text the list matches.</summary>
public sealed class UncertaintyPatternHintTests
{
    // One instance of every alternative of every list, in both apostrophes and in capitals.
    private static readonly string[] s_phrases =
    [
        "I think", "I believe", "I guess", "I suppose", "I assume", "I would guess", "I'm not sure", "I am not certain",
        "I’m not entirely confident", "I am not 100% sure", "not completely sure", "not totally certain", "probably",
        "possibly", "perhaps", "maybe", "presumably", "likely", "unlikely", "unclear", "uncertain", "might",
        "it is possible", "it's unclear", "it’s hard to say", "it is difficult to say", "hard to tell",
        "difficult to determine", "as far as I know", "as far as I can tell", "to my knowledge",
        "to the best of my knowledge", "if I recall correctly", "if I remember correctly", "may or may not",
        "it seems to", "appears that", "seems like", "my best guess", "can't be sure", "cannot be certain",
        "I can't", "I can’t", "I cant", "I cannot", "I can not", "I'm unable to", "I am not able to", "I won't",
        "I won’t", "I will not", "I must decline", "I have to decline", "I need to decline", "I do not have access",
        "I don't have the ability", "as an AI", "against my guidelines", "against my policies", "against my programming",
        "not able to help", "not able to assist", "Actually, no", "Fine. Actually, it is", "I was wrong", "I was mistaken",
        "I was incorrect", "correction:", "I made a mistake", "I made an error", "I misspoke", "on second thought",
        "scratch that", "I stand corrected", "my previous answer was wrong", "my earlier response was incorrect",
        "my last reply was mistaken", "approved", "rejected", "denied", "true", "false", "valid", "invalid", "correct",
        "incorrect", "noncompliant", "non-compliant", "compliant", "unenforceable", "enforceable", "passed", "failed",
        "passes", "fails", "unsafe", "safe", "accepted", "declined", "ineligible", "eligible", "prohibited", "permitted",
        "forbidden", "allowed", "confirmed", "refuted", "isn't valid", "not approved", "never allowed",
    ];

    public static TheoryData<string> Texts()
    {
        var data = new TheoryData<string>();
        foreach (var phrase in s_phrases)
        {
            data.Add(phrase);
            data.Add(phrase.ToUpperInvariant());
            data.Add($"The clause, {phrase} here.");
        }

        foreach (var (_, output) in LabelledOutputs.All)
        {
            data.Add(output);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Texts))]
    public void The_hints_let_through_every_text_a_list_matches(string text)
    {
        Assert.Equal(UncertaintyPatterns.Hedges().Count(text), UncertaintyPatterns.CountHedges(text));
        Assert.Equal(UncertaintyPatterns.Refusals().IsMatch(text), UncertaintyPatterns.Refuses(text));
        Assert.Equal(UncertaintyPatterns.Reversals().IsMatch(text), UncertaintyPatterns.Reverses(text));
        var verdict = UncertaintyPatterns.Verdicts().Match(text);
        Assert.Equal(verdict.Success ? verdict.Value : "", UncertaintyPatterns.FirstVerdict(text).ToString());
    }

    [Fact]
    public void Every_phrase_is_matched_by_some_list()
    {
        foreach (var phrase in s_phrases)
        {
            var matched = UncertaintyPatterns.Hedges().IsMatch(phrase) || UncertaintyPatterns.Refusals().IsMatch(phrase)
                || UncertaintyPatterns.Reversals().IsMatch(phrase) || UncertaintyPatterns.Verdicts().IsMatch(phrase);
            Assert.True(matched, phrase);
        }
    }
}
