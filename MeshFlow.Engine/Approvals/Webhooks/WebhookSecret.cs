using System.Security.Cryptography;

namespace MeshFlow.Approvals.Webhooks;

/// <summary>A Standard Webhooks signing secret: <c>whsec_</c> followed by 24 to 64 random bytes in base64.</summary>
/// <remarks>The secret's text is never shown: <see cref="ToString"/> and every parse error leave it out.</remarks>
public sealed class WebhookSecret
{
    /// <summary>The prefix that marks a symmetric Standard Webhooks secret.</summary>
    public const string Prefix = "whsec_";

    /// <summary>The fewest decoded bytes a secret may have (192 bits, as the specification requires).</summary>
    public const int MinBytes = 24;

    /// <summary>The most decoded bytes a secret may have (512 bits, as the specification allows).</summary>
    public const int MaxBytes = 64;

    private readonly byte[] _key;

    private WebhookSecret(byte[] key) => _key = key;

    /// <summary>The HMAC key: the secret's decoded bytes.</summary>
    internal ReadOnlySpan<byte> Key => _key;

    /// <summary>Parses <c>whsec_</c> + base64.</summary>
    /// <exception cref="FormatException">The text is not a valid secret; the message says why without repeating it.</exception>
    public static WebhookSecret Parse(string text) =>
        TryParse(text, out var secret, out var problem) ? secret : throw new FormatException(problem);

    /// <summary>Parses <c>whsec_</c> + base64, or says what is wrong (never repeating the secret).</summary>
    public static bool TryParse(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out WebhookSecret? secret,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out string? problem)
    {
        secret = null;
        text = text?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            problem = "the secret is empty";
            return false;
        }

        if (!text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            problem = $"the secret does not start with '{Prefix}'";
            return false;
        }

        byte[] key;
        try
        {
            key = Convert.FromBase64String(text[Prefix.Length..]);
        }
        catch (FormatException)
        {
            problem = $"the secret after '{Prefix}' is not valid base64";
            return false;
        }

        if (key.Length is < MinBytes or > MaxBytes)
        {
            problem = $"the secret decodes to {key.Length} bytes; {MinBytes} to {MaxBytes} are required";
            CryptographicOperations.ZeroMemory(key);
            return false;
        }

        secret = new WebhookSecret(key);
        problem = null;
        return true;
    }

    /// <summary>Whether both secrets have the same bytes (compared in constant time).</summary>
    internal bool SameKeyAs(WebhookSecret other) => CryptographicOperations.FixedTimeEquals(_key, other._key);

    /// <summary>A redacted form that says only how long the secret is.</summary>
    public override string ToString() => $"{Prefix}*** ({_key.Length} bytes)";
}
