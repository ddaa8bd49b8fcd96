using System.Globalization;
using MeshFlow.Governance.Guardian;

namespace MeshFlow.Tests.Governance.Guardian;

/// <summary>
/// The labelled corpus: every payload of <see cref="InjectionPayloads"/> three times (as written, then under two
/// evasions), and every text of <see cref="BenignTexts"/> three times, each time in a different carrier. The choice of
/// carriers and evasions comes from a seeded random source, so the corpus is the same on every run.
/// </summary>
internal static class InjectionCorpus
{
    private const int Seed = 20250619;

    public static IReadOnlyList<CorpusCase> All { get; } = Build();

    private static List<CorpusCase> Build()
    {
        var random = new Random(Seed);
        var cases = new List<CorpusCase>();
        var index = 0;
        foreach (var (signal, payload) in InjectionPayloads.All())
        {
            index++;
            var markup = signal is InjectionSignals.HtmlComment || payload.StartsWith('<') || payload.StartsWith('{');
            var carriers = Pick(markup ? Carriers.Markup : Carriers.Text, 3, random);
            var variants = Pick(VariantsFor(signal, payload), 2, random);
            cases.Add(Case(signal, index, "plain", carriers[0], payload));
            for (var i = 0; i < 2; i++)
            {
                cases.Add(Case(signal, index, variants[i].Name, carriers[i + 1], variants[i].Apply(payload, random)));
            }
        }

        var groups = new (string Name, string[] Texts, bool Markup)[]
        {
            ("about_attacks", BenignTexts.AboutAttacks, false),
            ("everyday", BenignTexts.Everyday, false),
            ("role_words", BenignTexts.RoleWords, false),
            ("tools", BenignTexts.Tools, false),
            ("sending", BenignTexts.Sending, false),
            ("markup", BenignTexts.Markup, true),
            ("scripts", BenignTexts.Scripts, false),
        };
        foreach (var (group, texts, markup) in groups)
        {
            for (var i = 0; i < texts.Length; i++)
            {
                foreach (var (carrier, wrap) in Pick(markup ? Carriers.Markup : Carriers.Text, 3, random))
                {
                    cases.Add(new CorpusCase(string.Create(CultureInfo.InvariantCulture, $"benign/{group}/{i + 1}/{carrier}"), wrap(texts[i]), null));
                }
            }
        }

        return cases;
    }

    private static (string Name, Func<string, Random, string> Apply)[] VariantsFor(string signal, string payload) => signal switch
    {
        InjectionSignals.InvisibleUnicode => PayloadVariants.ForInvisible,
        InjectionSignals.PromptBoundary or InjectionSignals.HtmlComment => PayloadVariants.ForMarkup,
        _ when payload.StartsWith('<') || payload.StartsWith('{') => PayloadVariants.ForMarkup,
        _ => PayloadVariants.ForProse,
    };

    private static CorpusCase Case(string signal, int index, string variant, (string Name, Func<string, string> Wrap) carrier, string payload) =>
        new(string.Create(CultureInfo.InvariantCulture, $"{signal}/{index}/{variant}/{carrier.Name}"), carrier.Wrap(payload), signal);

    private static T[] Pick<T>(T[] items, int count, Random random)
    {
        var shuffled = (T[])items.Clone();
        random.Shuffle(shuffled);
        return shuffled[..count];
    }
}
