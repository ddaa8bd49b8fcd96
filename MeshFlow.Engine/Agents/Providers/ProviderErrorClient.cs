using System.Runtime.CompilerServices;
using Microsoft.Extensions.AI;

namespace MeshFlow.Agents.Providers;

/// <summary>
/// The outermost layer of every provider client: whatever the provider's SDK throws leaves as an
/// <see cref="LlmProviderException"/> naming the connection and the model, with the deployment's keys, tokens and AWS
/// credentials masked wherever a provider echoed them, and without the SDK's own exception (whose message and
/// response body a log of the error would otherwise print).
/// </summary>
internal sealed class ProviderErrorClient(IChatClient inner, LlmConnection connection, string model, IProviderErrors errors,
    IReadOnlyList<string> secrets)
    : DelegatingChatClient(inner)
{
    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        try
        {
            return await base.GetResponseAsync(messages, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (Translate(ex, cancellationToken) is { } error)
        {
            throw error;
        }
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages,
        ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        IAsyncEnumerator<ChatResponseUpdate> updates;
        try
        {
            updates = base.GetStreamingResponseAsync(messages, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        }
        catch (Exception ex) when (Translate(ex, cancellationToken) is { } error)
        {
            throw error;
        }

        await using (updates.ConfigureAwait(false))
        {
            while (true)
            {
                try
                {
                    if (!await updates.MoveNextAsync().ConfigureAwait(false))
                    {
                        yield break;
                    }
                }
                catch (Exception ex) when (Translate(ex, cancellationToken) is { } error)
                {
                    throw error;
                }

                yield return updates.Current;
            }
        }
    }

    private LlmProviderException? Translate(Exception error, CancellationToken cancellationToken) =>
        Translate(error, connection, model, errors, secrets, cancellationToken);

    /// <summary>
    /// A provider client's exception as the <see cref="LlmProviderException"/> MeshFlow reports, with
    /// <paramref name="secrets"/> masked; null for what is not the provider's failure (the caller's own cancellation, a
    /// bug), which passes through untouched. Chat and embedding clients share it.
    /// </summary>
    internal static LlmProviderException? Translate(Exception error, LlmConnection connection, string model, IProviderErrors? errors,
        IReadOnlyList<string> secrets, CancellationToken cancellationToken)
    {
        if (error is LlmProviderException known)
        {
            return Masked(known, secrets);
        }

        if (error is OperationCanceledException && cancellationToken.IsCancellationRequested)
        {
            // The caller's own cancellation (the run's or the step's timeout) is not the provider's failure.
            return null;
        }

        var classified = errors?.Classify(error, connection, model) ?? Transport(error, connection, model);
        return classified is null ? null : Masked(classified, secrets);
    }

    // Failures below any provider's SDK: no answer at all, or none in time.
    private static LlmProviderException? Transport(Exception error, LlmConnection connection, string model) => error switch
    {
        HttpRequestException http => new LlmProviderException(connection.ConfigurationName, model, http.StatusCode,
            $"the LLM connection '{connection.ConfigurationName}' could not reach its provider ({connection.Provider}) for model '{model}': {http.Message}",
            transient: http.StatusCode is not { } status || LlmProviderException.IsTransientStatus(status), inner: http),
        IOException io => new LlmProviderException(connection.ConfigurationName, model, null,
            $"the connection to the provider behind '{connection.ConfigurationName}' ({connection.Provider}) broke during model '{model}''s answer: {io.Message}",
            transient: true, inner: io),
        TimeoutException or OperationCanceledException => new LlmProviderException(connection.ConfigurationName, model, null,
            $"the LLM connection '{connection.ConfigurationName}' timed out waiting for its provider ({connection.Provider}), model '{model}'",
            transient: true, inner: error),
        _ => null,
    };

    private static LlmProviderException Masked(LlmProviderException error, IReadOnlyList<string> secrets)
    {
        var message = error.Message;
        foreach (var secret in secrets)
        {
            message = message.Replace(secret, "***", StringComparison.Ordinal);
        }

        return error.InnerException is null && ReferenceEquals(message, error.Message)
            ? error
            : new LlmProviderException(error.Connection, error.Model, error.Status, message, error.IsTransient, error.RetryAfter);
    }
}
