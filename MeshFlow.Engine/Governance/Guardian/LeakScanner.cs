using System.Buffers;
using System.Text;

namespace MeshFlow.Governance.Guardian;

/// <summary>
/// Finds secrets and exfiltration channels in an agent's output, and strips them. One instance holds a run's
/// configured secrets and allow list; it is immutable and safe to share across threads.
/// </summary>
/// <remarks>
/// <para>Secrets (<see cref="LeakKind.Secret"/>): the key formats of <see cref="LeakLabels"/>, told apart by prefix and
/// checked (an <c>sk-</c> key must mix digits and letters, a JWT header must decode to JSON with <c>alg</c>, a PEM body
/// must hold 40 base64 characters), private key blocks, connection strings with a password or account key, and the
/// run's configured secret values (exact, ordinal occurrences; values shorter than 8 characters are ignored, they
/// would match ordinary words). Values that declare themselves placeholders (<c>sk-...</c>, <c>YOUR_API_KEY</c>,
/// anything containing EXAMPLE, such as AWS's documented <c>AKIAIOSFODNN7EXAMPLE</c>) are not secrets. UUIDs, git
/// SHAs, base64 <c>data:</c> URIs and ordinary hex digests match no secret format.</para>
/// <para>Exfiltration (<see cref="LeakKind.Exfiltration"/>): a markdown image whose URL carries data or, with an allow
/// list, points outside it; a markdown link whose query carries data; with an allow list, a link or URL to any other
/// host (subdomains of an allowed host are allowed; a null or empty list turns this check off). What "carries data"
/// means is documented on <c>UrlSpans</c>.</para>
/// <para>Matches never overlap: the earliest wins, then the longest, then a secret. A <see cref="LeakMatch"/> holds
/// positions and a label, never the text. Every pattern runs on the non-backtracking engine, behind vectorized hint
/// searches; a text with nothing to find allocates nothing.</para>
/// </remarks>
public sealed class LeakScanner
{
    private const int MinConfiguredSecret = 8;

    private readonly string[] _secrets;
    private readonly SearchValues<string>? _secretSearch;
    private readonly string[]? _allowedHosts;

    /// <summary>Creates a scanner for one run.</summary>
    /// <param name="configuredSecrets">The run's own secret values (API keys, passwords it was configured with).</param>
    /// <param name="allowedHosts">Hosts links may point to (subdomains included); null or empty turns the host check off.</param>
    public LeakScanner(IEnumerable<string>? configuredSecrets = null, IReadOnlyCollection<string>? allowedHosts = null)
    {
        _secrets = (configuredSecrets ?? [])
            .Where(s => s is { Length: >= MinConfiguredSecret })
            .Distinct(StringComparer.Ordinal)
            .OrderByDescending(s => s.Length)
            .ToArray();
        _secretSearch = _secrets.Length == 0 ? null : SearchValues.Create(_secrets, StringComparison.Ordinal);
        _allowedHosts = allowedHosts is { Count: > 0 } ? allowedHosts.Where(h => !string.IsNullOrWhiteSpace(h)).ToArray() : null;
    }

    /// <summary>Every secret and exfiltration channel in <paramref name="text"/>, ordered and non-overlapping.</summary>
    public IReadOnlyList<LeakMatch> Find(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            return [];
        }

        var matches = new LeakList();
        FindTokens(text, ref matches);
        FindContextual(text, ref matches);
        PrivateKeyBlocks.Find(text, ref matches);
        ConnectionStrings.Find(text, ref matches);
        FindConfigured(text, ref matches);
        MarkdownLinks.Find(text, _allowedHosts, ref matches);
        return matches.Resolve();
    }

    /// <summary>
    /// <paramref name="text"/> with each secret replaced by <c>[SECRET-REDACTED:label]</c> and each channel (the whole
    /// markdown image or link, or the URL) by <c>[LINK-REMOVED:label]</c>; the same instance when nothing is found.
    /// </summary>
    public string Strip(string text, out IReadOnlyList<LeakMatch> matches)
    {
        matches = Find(text);
        if (matches.Count == 0)
        {
            return text;
        }

        var stripped = new StringBuilder(text.Length);
        var position = 0;
        foreach (var match in matches)
        {
            stripped.Append(text, position, match.Start - position).Append(Marker(match));
            position = match.Start + match.Length;
        }

        return stripped.Append(text, position, text.Length - position).ToString();
    }

    /// <summary>What replaces a match: <c>[SECRET-REDACTED:openai_key]</c>, <c>[LINK-REMOVED:markdown_image]</c>.</summary>
    public static string Marker(LeakMatch match) =>
        string.Concat(match.Kind == LeakKind.Secret ? "[SECRET-REDACTED:" : "[LINK-REMOVED:", match.Label, "]");

    private static void FindTokens(string text, ref LeakList matches)
    {
        if (!text.AsSpan().ContainsAny(SecretPatterns.TokenHints))
        {
            return;
        }

        foreach (var token in SecretPatterns.Token().EnumerateMatches(text))
        {
            var value = text.AsSpan(token.Index, token.Length);
            var label = Classify(value);
            if (label is not null)
            {
                matches.Add(token.Index, token.Length, LeakKind.Secret, label);
            }
        }
    }

    // The label of a key-shaped token, or null when it is a placeholder or not a key after all.
    private static string? Classify(ReadOnlySpan<char> value)
    {
        if (value.StartsWith("eyJ"))
        {
            return SecretValues.IsJwt(value) ? LeakLabels.Jwt : null;
        }

        if (value.StartsWith("https://"))
        {
            return SecretValues.IsPlaceholder(value["https://hooks.slack.com/services/".Length..]) ? null : LeakLabels.SlackToken;
        }

        if (SecretValues.IsPlaceholder(value))
        {
            return null;
        }

        return value switch
        {
            _ when value.StartsWith("sk-ant-") => LeakLabels.AnthropicKey,
            _ when value.StartsWith("sk-") => SecretValues.LooksGenerated(value[3..]) ? LeakLabels.OpenAiKey : null,
            _ when value.StartsWith("AKIA") || value.StartsWith("ASIA") => LeakLabels.AwsAccessKey,
            _ when value.StartsWith("gh") || value.StartsWith("github_pat_") => LeakLabels.GitHubToken,
            _ when value.StartsWith("xox") => LeakLabels.SlackToken,
            _ when value.StartsWith("AIza") => LeakLabels.GoogleApiKey,
            _ => LeakLabels.StripeKey,
        };
    }

    private static void FindContextual(string text, ref LeakList matches)
    {
        if (!text.AsSpan().ContainsAny(SecretPatterns.ContextHints))
        {
            return;
        }

        foreach (var found in SecretPatterns.Contextual().EnumerateMatches(text))
        {
            // The name has no ':' or '='; the value starts after the first, past blanks and a quote.
            var match = text.AsSpan(found.Index, found.Length);
            var valueStart = match.IndexOfAny(':', '=') + 1;
            while (valueStart < match.Length && match[valueStart] is ' ' or '\t' or '"' or '\'')
            {
                valueStart++;
            }

            var value = match[valueStart..];
            var aws = !match.StartsWith("ocp", StringComparison.OrdinalIgnoreCase) && !match.StartsWith("accountkey", StringComparison.OrdinalIgnoreCase);
            if ((aws && value.TrimEnd('=').Length != 40) || SecretValues.IsPlaceholder(value))
            {
                continue;
            }

            matches.Add(found.Index + valueStart, value.Length, LeakKind.Secret, aws ? LeakLabels.AwsSecretKey : LeakLabels.AzureKey);
        }
    }

    private void FindConfigured(string text, ref LeakList matches)
    {
        if (_secretSearch is null)
        {
            return;
        }

        var span = text.AsSpan();
        for (var position = 0; position < span.Length;)
        {
            var found = span[position..].IndexOfAny(_secretSearch);
            if (found < 0)
            {
                return;
            }

            position += found;
            foreach (var secret in _secrets)
            {
                if (span[position..].StartsWith(secret, StringComparison.Ordinal))
                {
                    matches.Add(position, secret.Length, LeakKind.Secret, LeakLabels.ConfiguredSecret);
                    position += secret.Length - 1;
                    break;
                }
            }

            position++;
        }
    }
}
