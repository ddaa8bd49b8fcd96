using System.Text;

namespace MeshFlow.Tools.Network;

/// <summary>
/// A robots.txt file read per RFC 9309: the group of the most specific user-agent that names the crawler's product
/// token (else <c>*</c>), and within it the longest matching rule, <c>allow</c> winning a tie.
/// </summary>
/// <remarks>
/// <para>Groups: one or more <c>user-agent</c> lines followed by <c>allow</c>/<c>disallow</c> lines; groups naming the
/// same agent are merged. A product token matches case-insensitively. Other lines (<c>sitemap</c>, <c>crawl-delay</c>,
/// unknown keys, text without a colon) are ignored.</para>
/// <para>Paths: <c>*</c> matches any run of characters, a final <c>$</c> the end of the URL's path and query; both the
/// rule and the URL are normalised (non-ASCII percent-encoded as UTF-8, escapes of unreserved characters decoded, hex
/// digits upper-cased) so <c>/%7Efoo</c> and <c>/~foo</c> are the same path. An empty <c>disallow</c> disallows nothing;
/// <c>/robots.txt</c> itself is always allowed.</para>
/// </remarks>
internal sealed class RobotsTxt
{
    /// <summary>The most bytes of a robots.txt file parsed (RFC 9309 asks for at least 500 KiB).</summary>
    public const int MaxBytes = 500 * 1024;

    private readonly List<Group> _groups;

    private RobotsTxt(List<Group> groups, bool? everything, string? unreachable = null)
    {
        _groups = groups;
        Everything = everything;
        Unreachable = unreachable;
    }

    /// <summary>Everything allowed: no file, or a 4xx answer.</summary>
    public static RobotsTxt AllowAll { get; } = new([], true);

    /// <summary>Everything disallowed: a 5xx answer, or the host could not be reached.</summary>
    public static RobotsTxt DisallowAll { get; } = new([], false);

    /// <summary>Why the file could not be fetched, when that is why everything is disallowed; null otherwise.</summary>
    public string? Unreachable { get; }

    /// <summary>True or false when the file is a blanket answer; null when it has rules.</summary>
    public bool? Everything { get; }

    /// <summary>Everything disallowed because the file could not be fetched, for <paramref name="reason"/>.</summary>
    public static RobotsTxt UnreachableBecause(string reason) => new([], false, reason);

    /// <summary>Parses the file's text (its first <see cref="MaxBytes"/> bytes are all that is read).</summary>
    public static RobotsTxt Parse(string text)
    {
        var groups = new List<Group>();
        Group? current = null;
        var lastWasAgent = false;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw;
            var hash = line.IndexOf('#', StringComparison.Ordinal);
            if (hash >= 0)
            {
                line = line[..hash];
            }

            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                continue;
            }

            var key = line[..colon].Trim().ToLowerInvariant();
            var value = line[(colon + 1)..].Trim();
            switch (key)
            {
                case "user-agent" or "useragent" or "user agent":
                    if (!lastWasAgent || current is null)
                    {
                        current = new Group();
                        groups.Add(current);
                    }

                    current.Agents.Add(ProductToken(value));
                    lastWasAgent = true;
                    break;
                case "allow" or "disallow":
                    lastWasAgent = false;
                    if (current is not null && value.Length > 0)
                    {
                        current.Rules.Add(new Rule(Normalize(value), key == "allow"));
                    }

                    break;
                default:
                    // Sitemap and other records neither start nor end a group.
                    break;
            }
        }

        return new RobotsTxt(groups, null);
    }

    /// <summary>Whether a crawler whose product token is <paramref name="productToken"/> may fetch <paramref name="url"/>.</summary>
    public bool IsAllowed(string productToken, Uri url)
    {
        if (Everything is { } everything)
        {
            return everything;
        }

        var path = Normalize(url.GetComponents(UriComponents.PathAndQuery, UriFormat.UriEscaped));
        if (path is "/robots.txt")
        {
            return true;
        }

        var rules = RulesFor(productToken);
        Rule? best = null;
        foreach (var rule in rules)
        {
            if (!Matches(rule.Pattern, path))
            {
                continue;
            }

            if (best is null || rule.Pattern.Length > best.Pattern.Length || (rule.Pattern.Length == best.Pattern.Length && rule.Allow))
            {
                best = rule;
            }
        }

        return best?.Allow ?? true;
    }

    /// <summary>The product token of a user-agent string: its leading letters, <c>_</c> and <c>-</c> (<c>MeshFlowBot</c> of <c>MeshFlowBot/1.0 (+url)</c>).</summary>
    public static string ProductToken(string userAgent)
    {
        var trimmed = userAgent.Trim();
        if (trimmed.StartsWith('*'))
        {
            return "*";
        }

        var end = 0;
        while (end < trimmed.Length && (char.IsAsciiLetter(trimmed[end]) || trimmed[end] is '_' or '-'))
        {
            end++;
        }

        return trimmed[..end];
    }

    /// <summary>The path normalised for comparison (see the remarks).</summary>
    public static string Normalize(string path)
    {
        var bytes = Encoding.UTF8.GetBytes(path);
        var text = new StringBuilder(bytes.Length);
        for (var i = 0; i < bytes.Length; i++)
        {
            var b = bytes[i];
            if (b == '%' && i + 2 < bytes.Length && IsHex(bytes[i + 1]) && IsHex(bytes[i + 2]))
            {
                var decoded = (byte)((HexValue(bytes[i + 1]) << 4) | HexValue(bytes[i + 2]));
                if (IsUnreserved(decoded))
                {
                    text.Append((char)decoded);
                }
                else
                {
                    text.Append('%').Append(char.ToUpperInvariant((char)bytes[i + 1])).Append(char.ToUpperInvariant((char)bytes[i + 2]));
                }

                i += 2;
            }
            else if (b >= 0x80 || b < 0x21)
            {
                text.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
            else
            {
                text.Append((char)b);
            }
        }

        return text.ToString();
    }

    /// <summary>Whether <paramref name="pattern"/> matches the start of <paramref name="path"/> (all of it when it ends in <c>$</c>).</summary>
    public static bool Matches(string pattern, string path)
    {
        var anchored = pattern.EndsWith('$');
        var p = anchored ? pattern[..^1] : pattern;

        // Greedy matching with one backtrack point per star: linear in practice, never exponential.
        int pi = 0, si = 0, star = -1, mark = 0;
        while (si < path.Length)
        {
            if (pi < p.Length && p[pi] == '*')
            {
                star = pi++;
                mark = si;
            }
            else if (pi < p.Length && p[pi] == path[si])
            {
                pi++;
                si++;
            }
            else if (pi == p.Length && !anchored)
            {
                return true;
            }
            else if (star >= 0)
            {
                pi = star + 1;
                si = ++mark;
            }
            else
            {
                return false;
            }
        }

        while (pi < p.Length && p[pi] == '*')
        {
            pi++;
        }

        return pi == p.Length;
    }

    private List<Rule> RulesFor(string productToken)
    {
        var token = ProductToken(productToken);
        var named = _groups.Where(group => group.Agents.Contains(token, StringComparer.OrdinalIgnoreCase)).SelectMany(group => group.Rules).ToList();
        if (named.Count > 0 || _groups.Any(group => group.Agents.Contains(token, StringComparer.OrdinalIgnoreCase)))
        {
            return named;
        }

        return [.. _groups.Where(group => group.Agents.Contains("*")).SelectMany(group => group.Rules)];
    }

    private static bool IsUnreserved(byte b) => char.IsAsciiLetterOrDigit((char)b) || b is (byte)'-' or (byte)'.' or (byte)'_' or (byte)'~';

    private static bool IsHex(byte b) => char.IsAsciiHexDigit((char)b);

    private static int HexValue(byte b) => b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;

    private sealed class Group
    {
        public List<string> Agents { get; } = [];

        public List<Rule> Rules { get; } = [];
    }

    private sealed record Rule(string Pattern, bool Allow);
}
