using System.Net.Http.Headers;
using Anthropic.Bedrock;

namespace MeshFlow.Agents.Providers;

/// <summary>
/// Authenticates each Bedrock request of a connection: with a Bedrock API key as a bearer token (the connection's
/// <c>Key</c>, else <c>AWS_BEARER_TOKEN_BEDROCK</c>), else with a SigV4 signature from the standard AWS variables
/// (<c>AWS_ACCESS_KEY_ID</c>, <c>AWS_SECRET_ACCESS_KEY</c>, and <c>AWS_SESSION_TOKEN</c> for temporary credentials).
/// The variables are read for every request, so rotated credentials are picked up; the secret key only signs.
/// </summary>
/// <remarks>
/// The SDK's own <see cref="AnthropicBedrockPrivateKeyCredentials"/> cannot be given a session token (its setter is
/// internal), so this signs as it does, with the SDK's public <see cref="AWSSigner"/>, and adds the token.
/// </remarks>
internal sealed class BedrockCredentials(LlmConnection connection, string model, string region, Func<string, string?> environment)
    : IAnthropicBedrockCredentials
{
    public string Region => region;

    public async Task Apply(HttpRequestMessage requestMessage)
    {
        if ((connection.Key ?? Variable("AWS_BEARER_TOKEN_BEDROCK")) is { } apiKey)
        {
            requestMessage.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
            return;
        }

        var accessKey = Variable("AWS_ACCESS_KEY_ID");
        var secretKey = Variable("AWS_SECRET_ACCESS_KEY");
        if (accessKey is null || secretKey is null)
        {
            var missing = accessKey is null && secretKey is null ? "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are"
                : accessKey is null ? "AWS_ACCESS_KEY_ID is" : "AWS_SECRET_ACCESS_KEY is";
            throw new LlmProviderException(connection.ConfigurationName, model, null,
                $"the LLM connection '{connection.ConfigurationName}' (bedrock) has no AWS credentials for model '{model}': {missing} not set " +
                "(a SigV4 signature needs AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, and AWS_SESSION_TOKEN with temporary credentials); " +
                "or give a Bedrock API key as the connection's Key or as AWS_BEARER_TOKEN_BEDROCK",
                transient: false);
        }

        var sessionToken = Variable("AWS_SESSION_TOKEN");
        var now = DateTime.UtcNow;
        var body = requestMessage.Content is null ? string.Empty : await requestMessage.Content.ReadAsStringAsync().ConfigureAwait(false);
        var payloadHash = AWSSigner.CalculateHash(body);
        requestMessage.Headers.TryAddWithoutValidation("x-amz-date", AWSSigner.ToAmzDate(now));
        requestMessage.Headers.TryAddWithoutValidation("x-amz-content-sha256", payloadHash);
        if (sessionToken is not null)
        {
            requestMessage.Headers.TryAddWithoutValidation("x-amz-security-token", sessionToken);
        }

        // Every header the request has now is signed, as the SDK's signer does, but the user agent, which proxies
        // rewrite; the trace context headers are held back from this handler by the SDK.
        var signed = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in requestMessage.Headers)
        {
            if (!name.Equals("User-Agent", StringComparison.OrdinalIgnoreCase))
            {
                signed[name] = string.Join(", ", values);
            }
        }

        requestMessage.Headers.TryAddWithoutValidation("Authorization", AWSSigner.GetAuthorizationHeader("bedrock", region,
            requestMessage.Method.Method, requestMessage.RequestUri!, now, signed, payloadHash, accessKey, secretKey, sessionToken));
    }

    private string? Variable(string name) => environment(name) is { Length: > 0 } value ? value.Trim() : null;
}
