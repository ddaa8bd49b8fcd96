using MeshFlow.Dashboard.ApiClient;

namespace MeshFlow.Dashboard.Tests.Support;

/// <summary>A session that is always signed in with <paramref name="key"/> (or nobody, when null).</summary>
internal sealed class FixedApiKey(string? key) : IApiKeySource
{
    public ValueTask<string?> GetApiKeyAsync() => ValueTask.FromResult(key);
}
