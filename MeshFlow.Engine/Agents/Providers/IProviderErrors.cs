namespace MeshFlow.Agents.Providers;

/// <summary>Turns one provider client's exceptions into <see cref="LlmProviderException"/>s.</summary>
internal interface IProviderErrors
{
    /// <summary>
    /// The provider's view of <paramref name="error"/>, or null when it is not a provider error (a cancellation, a bug
    /// in a tool, a check's refusal), which then passes through untouched.
    /// </summary>
    LlmProviderException? Classify(Exception error, LlmConnection connection, string model);
}
