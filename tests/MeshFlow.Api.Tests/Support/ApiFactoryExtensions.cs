using System.Net.Http.Headers;
using Microsoft.AspNetCore.Mvc.Testing;

namespace MeshFlow.Api.Tests.Support;

internal static class ApiFactoryExtensions
{
    /// <summary>A client that sends <paramref name="apiKey"/> as <c>Authorization: Bearer</c> on every request.</summary>
    public static HttpClient CreateAuthenticatedClient(this WebApplicationFactory<Program> factory, string apiKey)
    {
        var client = factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        return client;
    }
}
