using System.Text;
using System.Text.Json;
using MeshFlow.Ledger.Canonical;

namespace MeshFlow.Tests.Ledger.Canonical;

/// <summary>Seeded random documents: agreement with a reference canonicalizer, idempotence, buffer discipline.</summary>
public sealed class CanonicalJsonRandomTests
{
    private const int Documents = 300;

    [Fact]
    public void Random_documents_canonicalize_to_the_reference_form()
    {
        var generator = new RandomJsonDocument(seed: 8785);
        for (var i = 0; i < Documents; i++)
        {
            var (text, expected) = generator.Next();

            var canonical = CanonicalJson.Canonicalize(text);

            Assert.True(
                Encoding.UTF8.GetBytes(expected).AsSpan().SequenceEqual(canonical),
                $"Document {i} differs.\nInput:    {text}\nExpected: {expected}\nActual:   {Encoding.UTF8.GetString(canonical)}");
        }
    }

    [Fact]
    public void Canonicalization_is_idempotent_over_random_documents()
    {
        var generator = new RandomJsonDocument(seed: 20200601);
        for (var i = 0; i < Documents; i++)
        {
            var (text, _) = generator.Next();

            var once = CanonicalJson.Canonicalize(text);
            var twice = CanonicalJson.Canonicalize(Encoding.UTF8.GetString(once));
            using var document = JsonDocument.Parse(once);
            var fromElement = CanonicalJson.Canonicalize(document.RootElement);

            Assert.Equal(once, twice);
            Assert.Equal(once, fromElement);
        }
    }

    [Fact]
    public void Writing_through_a_tight_buffer_gives_the_same_bytes()
    {
        var generator = new RandomJsonDocument(seed: 7493);
        for (var i = 0; i < Documents; i++)
        {
            var (text, _) = generator.Next();
            using var document = JsonDocument.Parse(text);
            var output = new TightBufferWriter();

            CanonicalJson.Write(document.RootElement, output);

            Assert.Equal(CanonicalJson.Canonicalize(document.RootElement), output.WrittenSpan.ToArray());
        }
    }
}
