using Azure.Core;

namespace MeshFlow.Agents.Providers;

/// <summary>
/// The connection's <c>Token</c> as an Azure credential: a bearer token obtained elsewhere (Entra ID) and sent as it
/// is. It is not renewed here; a deployment that needs renewal gives the engine a fresh connection.
/// </summary>
internal sealed class AzureBearerToken(string token) : TokenCredential
{
    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        new(token, DateTimeOffset.MaxValue);

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        new(GetToken(requestContext, cancellationToken));
}
