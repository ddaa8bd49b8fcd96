namespace MeshFlow.Tests.Privacy;

/// <summary>
/// A labelled synthetic corpus of clinical-note sentences, generated from a fixed seed: sentences about one kind of
/// identifier, whole notes that mix several with lab values and dosages, and look-alikes that hold no identifier at
/// all (versions, lab values, invalid SSNs, Luhn-invalid card-length numbers, order numbers, times, codes, headings).
/// </summary>
internal static class PhiCorpus
{
    public const int Seed = 20_240_314;

    // How many sentences each template list yields; every list is cycled through in order.
    private const int PerType = 40;
    private const int Names = 96;
    private const int Notes = 48;

    // Each look-alike template with tokens is filled this many times; one without tokens is written once, as the same
    // sentence twice is not a second sample.
    private const int LookAlikeVariants = 5;

    private static readonly Lazy<IReadOnlyList<PhiSample>> Samples = new(() => Build(Seed));

    public static IReadOnlyList<PhiSample> All => Samples.Value;

    public static IReadOnlyList<PhiSample> Build(int seed)
    {
        var tokens = new PhiCorpusTokens(new Random(seed));
        var samples = new List<PhiSample>();
        foreach (var templates in PhiCorpusTemplates.ByType)
        {
            samples.AddRange(Fill(tokens, templates, PerType));
        }

        samples.AddRange(Fill(tokens, PhiCorpusTemplates.Names, Names));
        samples.AddRange(Fill(tokens, PhiCorpusTemplates.Notes, Notes));
        foreach (var template in PhiLookAlikeTemplates.All)
        {
            samples.AddRange(Fill(tokens, [template], template.Contains('{', StringComparison.Ordinal) ? LookAlikeVariants : 1));
        }

        return samples;
    }

    private static IEnumerable<PhiSample> Fill(PhiCorpusTokens tokens, string[] templates, int count)
    {
        for (var i = 0; i < count; i++)
        {
            yield return tokens.Fill(templates[i % templates.Length]);
        }
    }
}
