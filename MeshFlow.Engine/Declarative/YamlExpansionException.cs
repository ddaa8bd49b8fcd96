using YamlDotNet.Core;

namespace MeshFlow.Declarative;

/// <summary>
/// A document whose values, aliases expanded, pass <see cref="TrackingParser.MaxExpandedValues"/> at <see cref="Start"/>;
/// <see cref="Alias"/> names the alias that crossed it, if one did.
/// </summary>
internal sealed class YamlExpansionException(Mark start, string? alias)
    : Exception($"the document holds more than {TrackingParser.MaxExpandedValues} values once its aliases are expanded")
{
    public Mark Start { get; } = start;

    public string? Alias { get; } = alias;
}
