using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace MeshFlow.Testing.Providers;

/// <summary>
/// Checks a request's AWS Signature Version 4 as AWS does, written from the specification rather than from any
/// client's signer: the <c>Authorization</c> header's form, the access key, the scope (date, region, service), the
/// signed headers, the payload hash, and the signature recomputed with the secret key.
/// </summary>
internal sealed partial class AwsSigV4Verifier(string region, string service, string accessKeyId, string secretAccessKey, string? sessionToken)
{
    /// <summary>Why a request is refused: AWS's exception type and message; null when the signature holds.</summary>
    public (string Type, string Message)? Check(HttpContext context, byte[] body)
    {
        var headers = context.Request.Headers;
        var match = AuthorizationForm().Match(headers.Authorization.ToString());
        if (!match.Success)
        {
            return ("MissingAuthenticationTokenException", "Missing Authentication Token");
        }

        if (match.Groups["key"].Value != accessKeyId
            || (sessionToken is not null && headers["x-amz-security-token"].ToString() != sessionToken))
        {
            return ("UnrecognizedClientException", "The security token included in the request is invalid.");
        }

        var date = match.Groups["date"].Value;
        var amzDate = headers["x-amz-date"].ToString();
        var signedHeaders = match.Groups["signed"].Value.Split(';');
        if (match.Groups["region"].Value != region || match.Groups["service"].Value != service || !amzDate.StartsWith(date, StringComparison.Ordinal)
            || !signedHeaders.Contains("host") || !signedHeaders.Contains("x-amz-date")
            || (sessionToken is not null && !signedHeaders.Contains("x-amz-security-token")))
        {
            return ("InvalidSignatureException", $"Credential should be scoped to a valid region and service, and sign host and x-amz-date: {match.Groups["scope"].Value}");
        }

        var payloadHash = Hex(SHA256.HashData(body));
        if (headers["x-amz-content-sha256"].ToString() is { Length: > 0 } claimed && claimed != payloadHash)
        {
            return ("InvalidSignatureException", "The provided x-amz-content-sha256 header does not match what was computed.");
        }

        var canonical = new StringBuilder()
            .Append(context.Request.Method).Append('\n')
            .Append(CanonicalUri(WireRequest.RawTarget(context))).Append('\n')
            .Append(CanonicalQuery(context.Request.QueryString.Value)).Append('\n');
        foreach (var name in signedHeaders)
        {
            canonical.Append(name).Append(':').Append(string.Join(",", headers[name].Select(v => v?.Trim()))).Append('\n');
        }

        canonical.Append('\n').Append(match.Groups["signed"].Value).Append('\n').Append(payloadHash);
        var scope = $"{date}/{region}/{service}/aws4_request";
        var stringToSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())))}";
        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + secretAccessKey), date);
        key = Hmac(Hmac(Hmac(key, region), service), "aws4_request");
        return Hex(Hmac(key, stringToSign)) == match.Groups["signature"].Value
            ? null
            : ("InvalidSignatureException",
                "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.");
    }

    // Each segment of the path as sent, URI-encoded once more (SigV4 for every service but S3).
    private static string CanonicalUri(string target)
    {
        var path = target.Split('?')[0];
        return string.Join('/', path.Split('/').Select(Uri.EscapeDataString));
    }

    private static string CanonicalQuery(string? query) => string.IsNullOrEmpty(query)
        ? string.Empty
        : string.Join('&', query.TrimStart('?').Split('&').Order(StringComparer.Ordinal));

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);

    [GeneratedRegex(@"^AWS4-HMAC-SHA256 Credential=(?<key>[A-Z0-9]+)/(?<scope>(?<date>\d{8})/(?<region>[a-z0-9-]+)/(?<service>[a-z0-9-]+)/aws4_request), ?SignedHeaders=(?<signed>[a-z0-9;-]+), ?Signature=(?<signature>[0-9a-f]{64})$")]
    private static partial Regex AuthorizationForm();
}
