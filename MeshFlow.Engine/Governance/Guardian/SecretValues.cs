using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;

namespace MeshFlow.Governance.Guardian;

/// <summary>Judges whether a secret-shaped value is a real secret or a placeholder, and reads JWT headers.</summary>
/// <remarks>
/// A value is a placeholder when it says so: it contains "example", "your", "xxxx", "placeholder", "redacted", "dummy",
/// "sample", "fake", "changeme", "replace", "insert", template marks (<c>&lt;</c>, <c>{</c>, <c>$</c>, <c>%</c>,
/// <c>...</c>, <c>***</c>), or a run of six equal or consecutive characters (<c>000000</c>, <c>abcdef</c>). So AWS's
/// documented <c>AKIAIOSFODNN7EXAMPLE</c> and <c>wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY</c> are placeholders, and
/// so is any key that ends in EXAMPLE; a real AWS key never spells a word. Values that look real but are public (the
/// jwt.io sample token) do not say so, and are reported.
/// </remarks>
internal static class SecretValues
{
    // Longer JWT headers than this are not decoded (real ones are under 200 characters).
    private const int MaxJwtHeader = 1024;

    private static readonly SearchValues<string> s_placeholderWords = SearchValues.Create(
        ["example", "your", "xxxx", "placeholder", "redacted", "dummy", "sample", "fake", "changeme", "replace", "insert", "...", "***"],
        StringComparison.OrdinalIgnoreCase);

    private static readonly SearchValues<char> s_templateMarks = SearchValues.Create("<>{}$%");

    public static bool IsPlaceholder(ReadOnlySpan<char> value)
    {
        if (value.ContainsAny(s_placeholderWords) || value.ContainsAny(s_templateMarks))
        {
            return true;
        }

        var run = 1;
        for (var i = 1; i < value.Length; i++)
        {
            var step = value[i] - value[i - 1];
            run = step is 0 or 1 && char.IsLetterOrDigit(value[i]) ? run + 1 : 1;
            if (run >= 6)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// True when a password is a stand-in: a placeholder word, a template slot, or one of the words documentation writes
    /// (<c>postgres://user:password@localhost</c>). Weak real passwords (<c>hunter2</c>, <c>123456</c>) are not.
    /// </summary>
    public static bool IsPlaceholderPassword(ReadOnlySpan<char> value) =>
        value.IsEmpty || value.ContainsAny(s_placeholderWords) || IsTemplate(value)
        || value.Equals("password", StringComparison.OrdinalIgnoreCase) || value.Equals("pass", StringComparison.OrdinalIgnoreCase)
        || value.Equals("passwd", StringComparison.OrdinalIgnoreCase) || value.Equals("pwd", StringComparison.OrdinalIgnoreCase)
        || value.Equals("secret", StringComparison.OrdinalIgnoreCase) || value.Equals("mypassword", StringComparison.OrdinalIgnoreCase)
        || value.Trim('*').IsEmpty || value.Trim('x').IsEmpty;

    // ${DB_PASSWORD}, $(Password), %PASSWORD%, <password>, {password}, {{ password }}, [password]: a slot, not a value.
    private static bool IsTemplate(ReadOnlySpan<char> value) =>
        value[0] is '$' or '%' or '<' or '{' or '[' || value[^1] is '}' or '>' or '%' or ']';

    /// <summary>True when an <c>sk-</c> key mixes digits with letters the way generated keys do.</summary>
    public static bool LooksGenerated(ReadOnlySpan<char> body)
    {
        bool digit = false, upper = false, lower = false;
        foreach (var c in body)
        {
            digit |= char.IsAsciiDigit(c);
            upper |= char.IsAsciiLetterUpper(c);
            lower |= char.IsAsciiLetterLower(c);
        }

        return digit && lower && (upper || body.Length >= 32);
    }

    /// <summary>True when the first part of <paramref name="token"/> decodes to a JSON object with an <c>alg</c>.</summary>
    public static bool IsJwt(ReadOnlySpan<char> token)
    {
        var dot = token.IndexOf('.');
        if (dot <= 0 || dot > MaxJwtHeader)
        {
            return false;
        }

        Span<byte> header = stackalloc byte[MaxJwtHeader];
        if (Base64Url.DecodeFromChars(token[..dot], header, out _, out var written) != OperationStatus.Done)
        {
            return false;
        }

        try
        {
            var reader = new Utf8JsonReader(header[..written]);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("alg"u8))
                {
                    return true;
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
            // Not JSON: not a JWT.
        }

        return false;
    }
}
