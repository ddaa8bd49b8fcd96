using MeshFlow.Http;

namespace MeshFlow.Agents.Providers;

/// <summary>
/// Keeps what a refused Anthropic or Bedrock response said in its headers (<c>Retry-After</c>, Bedrock's
/// <c>x-amzn-ErrorType</c>) for the call that got it. The Anthropic SDK's exceptions carry only the status and the
/// body, and the resilience layer needs the wait the provider asked for.
/// </summary>
/// <remarks>
/// A call opens a <see cref="Slot"/> (<see cref="Open"/>) before it enters the SDK; the slot flows with the call's
/// execution context down to this handler, which fills it. <see cref="Attach"/> then copies it onto the SDK's
/// exception, where <see cref="AnthropicProvider.Classify"/> finds it.
/// </remarks>
internal sealed class AnthropicErrorHeaders : DelegatingHandler
{
    private const string DataKey = "MeshFlow.ProviderErrorHeaders";

    private static readonly AsyncLocal<Slot?> Current = new();

    /// <summary>Opens the slot (a new one, or the call's own again) of the call about to enter the SDK on this execution context.</summary>
    public static Slot Open(Slot? slot = null) => Current.Value = slot ?? new Slot();

    /// <summary>
    /// Copies what <paramref name="slot"/> caught onto <paramref name="error"/>. Always false, so that it serves as an
    /// exception filter that leaves the exception to propagate untouched.
    /// </summary>
    public static bool Attach(Exception error, Slot slot)
    {
        if (slot.RetryAfter is not null || slot.ErrorType is not null)
        {
            error.Data[DataKey] = slot;
        }

        return false;
    }

    /// <summary>What the response behind <paramref name="error"/> said in its headers, if it was caught.</summary>
    public static Slot? Of(Exception error) => error.Data[DataKey] as Slot;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode && Current.Value is { } slot)
        {
            slot.RetryAfter = RetryAfter.Of(response.Headers.RetryAfter);
            if (response.Headers.TryGetValues("x-amzn-ErrorType", out var types) && types.FirstOrDefault() is { Length: > 0 } type)
            {
                // Bedrock's form is "ThrottlingException:http://internal.amazon.com/coral/...".
                slot.ErrorType = type.Split(':')[0];
            }
        }

        return response;
    }

    /// <summary>What one call's refused response said in its headers.</summary>
    internal sealed class Slot
    {
        public TimeSpan? RetryAfter { get; set; }

        public string? ErrorType { get; set; }
    }
}
