using MeshFlow.Governance.Guardian;

namespace MeshFlow.Tests.Governance.Guardian;

/// <summary>The hints in front of each phrase pattern must let through every text the pattern matches.</summary>
public sealed class PhraseRuleHintTests
{
    [Fact]
    public void The_hints_let_through_every_corpus_text_a_pattern_matches()
    {
        var texts = InjectionCorpus.All.Concat(HeldOutCases.HeldOut).Concat(HeldOutCases.Fresh).Select(c => c.Text)
            .Concat(InjectionPayloads.All().Select(p => p.Payload));
        var matched = 0;
        foreach (var text in texts)
        {
            var findings = new FindingList();
            using var normalized = NormalizedText.Create(text, ref findings);
            foreach (var (pattern, signal, _, hints) in PhraseRules.Rules)
            {
                if (hints is not null && pattern().IsMatch(normalized.Text))
                {
                    matched++;
                    Assert.True(normalized.Text.ContainsAny(hints), $"{signal} pattern matched without a hint: {text}");
                }
            }
        }

        // The check is only as good as the matches it sees.
        Assert.True(matched > 300, $"{matched} matches");
    }
}
