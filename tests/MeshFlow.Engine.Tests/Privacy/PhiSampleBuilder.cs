using System.Text;
using MeshFlow.Privacy;

namespace MeshFlow.Tests.Privacy;

/// <summary>Writes a sample's text piece by piece, labelling the identifier pieces where they land.</summary>
internal sealed class PhiSampleBuilder
{
    private readonly StringBuilder _text = new();
    private readonly List<PhiMatch> _labels = [];

    public PhiSampleBuilder Text(string text)
    {
        _text.Append(text);
        return this;
    }

    public PhiSampleBuilder Phi(PhiType type, string value)
    {
        _labels.Add(new PhiMatch(_text.Length, value.Length, type));
        _text.Append(value);
        return this;
    }

    public PhiSample Build() => new(_text.ToString(), [.. _labels]);
}
