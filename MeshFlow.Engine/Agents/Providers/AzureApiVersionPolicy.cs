using System.ClientModel.Primitives;

namespace MeshFlow.Agents.Providers;

/// <summary>Puts the connection's Azure OpenAI <c>api-version</c> on every request's query.</summary>
internal sealed class AzureApiVersionPolicy(string apiVersion) : PipelinePolicy
{
    private readonly string _parameter = "api-version=" + Uri.EscapeDataString(apiVersion);

    public override void Process(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        Apply(message.Request);
        ProcessNext(message, pipeline, currentIndex);
    }

    public override async ValueTask ProcessAsync(PipelineMessage message, IReadOnlyList<PipelinePolicy> pipeline, int currentIndex)
    {
        Apply(message.Request);
        await ProcessNextAsync(message, pipeline, currentIndex).ConfigureAwait(false);
    }

    private void Apply(PipelineRequest request)
    {
        if (request.Uri is not { } uri)
        {
            return;
        }

        var query = uri.Query.TrimStart('?');
        var parameters = query.Length == 0 ? [] : query.Split('&').Where(p => !p.StartsWith("api-version=", StringComparison.Ordinal)).ToList();
        parameters.Add(_parameter);
        request.Uri = new UriBuilder(uri) { Query = string.Join('&', parameters) }.Uri;
    }
}
