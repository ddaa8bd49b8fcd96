namespace MeshFlow.Dashboard.ApiClient;

/// <summary>Where the API client finds the key of the person the current page is for.</summary>
public interface IApiKeySource
{
    /// <summary>The signed-in key, or null when nobody is signed in.</summary>
    ValueTask<string?> GetApiKeyAsync();
}
