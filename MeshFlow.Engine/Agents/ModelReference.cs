namespace MeshFlow.Agents;

/// <summary>
/// How an agent names its model: <c>model: claude-sonnet-4-5</c> with <c>provider: anthropic</c>, or
/// <c>model: anthropic/claude-sonnet-4-5</c>. The provider is a connection's name (<c>llm-anthropic</c> is
/// <c>anthropic</c>) or a provider kind that one configured connection has.
/// </summary>
/// <param name="Provider">The connection or provider kind named; null for the default connection.</param>
/// <param name="Model">The model id; null for the connection's own.</param>
public readonly record struct ModelReference(string? Provider, string? Model)
{
    /// <summary>
    /// Splits <c>provider/model</c> when the part before the first <c>/</c> is a known connection name or provider kind;
    /// otherwise the whole text is the model (model ids such as <c>meta-llama/Llama-3.3-70B</c> keep their slash).
    /// </summary>
    public static ModelReference Parse(string? model, string? provider, Func<string, bool> isProvider)
    {
        ArgumentNullException.ThrowIfNull(isProvider);
        if (provider is null && model is not null && model.IndexOf('/', StringComparison.Ordinal) is > 0 and var slash
            && slash < model.Length - 1 && isProvider(model[..slash]))
        {
            return new ModelReference(model[..slash], model[(slash + 1)..]);
        }

        return new ModelReference(provider, model);
    }

    /// <inheritdoc />
    public override string ToString() => Provider is null ? Model ?? "(default)" : $"{Provider}/{Model ?? "(default)"}";
}
