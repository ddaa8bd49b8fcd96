using System.Data.Common;
using MeshFlow.Approvals.Webhooks;
using Microsoft.Extensions.Configuration;

namespace MeshFlow.Hosting;

/// <summary>
/// The secret values a host is configured with, for the guardian to strip from agents' output: the passwords and keys
/// of every connection string (<c>ConnectionStrings:*</c>, both <c>Key=value;</c> strings and URLs with a password),
/// and the webhook signing secrets.
/// </summary>
internal static class ConfiguredSecrets
{
    private static readonly string[] SecretKeys = ["password", "pwd", "key", "accountkey", "sharedaccesskey", "secret", "token", "apikey", "api-key"];

    public static IEnumerable<string> From(IConfiguration? configuration)
    {
        if (configuration is null)
        {
            yield break;
        }

        foreach (var connection in configuration.GetSection("ConnectionStrings").GetChildren())
        {
            if (connection.Value is not { Length: > 0 } text)
            {
                continue;
            }

            if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.UserInfo.Split(':', 2) is [_, { Length: > 0 } password])
            {
                yield return Uri.UnescapeDataString(password);
                continue;
            }

            // StackExchange.Redis: host:port,password=...,ssl=true
            if (!text.Contains(';', StringComparison.Ordinal) && text.Contains(',', StringComparison.Ordinal))
            {
                foreach (var option in text.Split(','))
                {
                    if (option.Split('=', 2) is [var name, { Length: > 0 } value]
                        && SecretKeys.Contains(name.Trim().ToLowerInvariant(), StringComparer.Ordinal))
                    {
                        yield return value.Trim();
                    }
                }

                continue;
            }

            var builder = new DbConnectionStringBuilder();
            try
            {
                builder.ConnectionString = text;
            }
            catch (ArgumentException)
            {
                // Not a Key=value string (a host:port for Redis, say): nothing to take from it.
                continue;
            }

            foreach (string key in builder.Keys)
            {
                if (SecretKeys.Contains(key.ToLowerInvariant(), StringComparer.Ordinal) && builder[key]?.ToString() is { Length: > 0 } value)
                {
                    yield return value;
                }
            }
        }

        foreach (var entry in (configuration[WebhookSecrets.SecretsKey] ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            if (entry.Split('=', 2) is [_, { Length: > 0 } secret])
            {
                yield return secret.Trim();
            }
        }
    }
}
