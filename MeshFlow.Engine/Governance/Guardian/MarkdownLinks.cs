using System.Buffers;
using System.Text.RegularExpressions;
using MeshFlow.Governance.Risk;

namespace MeshFlow.Governance.Guardian;

/// <summary>
/// Finds the ways an agent's output can carry data out when it is rendered: markdown images (fetched without a
/// click), HTML <c>&lt;img&gt;</c> tags (treated as markdown images), markdown links whose query holds data, and, when
/// an allow list is given, any link or URL to a host outside it.
/// </summary>
/// <remarks>
/// Relative URLs, fragments, <c>mailto:</c> and <c>data:</c> URIs name no host and are not channels (a
/// <c>data:</c> image is rendered from the text itself). Bare URLs are checked only against the allow list, and only
/// for the schemes a renderer or a click fetches (http, https, ws, wss, ftp); reference-style links
/// (<c>[text][ref]</c>) are checked as the bare URL of their definition.
/// </remarks>
internal static partial class MarkdownLinks
{
    // Link text longer than this is not a link's.
    private const int MaxLinkText = 1000;

    private const int MaxNesting = 32;

    private static readonly SearchValues<char> s_brackets = SearchValues.Create("[]\n");

    public static void Find(string text, IReadOnlyList<string>? allowedHosts, ref LeakList matches)
    {
        FindMarkdown(text, allowedHosts, ref matches);
        if (text.Contains("<img", StringComparison.OrdinalIgnoreCase))
        {
            foreach (var tag in ImageTag().EnumerateMatches(text))
            {
                var url = Source(text.AsSpan(tag.Index, tag.Length));
                if (IsChannel(url, allowedHosts, image: true))
                {
                    matches.Add(tag.Index, tag.Length, LeakKind.Exfiltration, LeakLabels.MarkdownImage);
                }
            }
        }

        if (allowedHosts is not null)
        {
            FindBareUrls(text, allowedHosts, ref matches);
        }
    }

    // One pass with a stack of open brackets, so that nested links ("[![badge](a)](b)") pair up and a text full of
    // brackets costs linear time.
    private static void FindMarkdown(string text, IReadOnlyList<string>? allowedHosts, ref LeakList matches)
    {
        if (!text.Contains("](", StringComparison.Ordinal))
        {
            return;
        }

        Span<int> open = stackalloc int[MaxNesting];
        var depth = 0;
        for (var i = text.AsSpan().IndexOfAny(s_brackets); i >= 0 && i < text.Length;)
        {
            switch (text[i])
            {
                case '[':
                    // Deeper nesting than any link has: start over.
                    depth = depth == MaxNesting ? 0 : depth;
                    open[depth++] = i;
                    break;
                case ']' when depth > 0:
                    var start = open[--depth];
                    if (i + 1 < text.Length && text[i + 1] == '(' && i - start <= MaxLinkText)
                    {
                        var end = Link(text, start, i, allowedHosts, ref matches);
                        if (end > i)
                        {
                            // The URL is consumed; brackets inside it open nothing.
                            i = end - 1;
                        }
                    }

                    break;
                case '\n' when i + 1 < text.Length && text[i + 1] == '\n':
                    depth = 0;
                    break;
            }

            var next = text.AsSpan(i + 1).IndexOfAny(s_brackets);
            i = next < 0 ? -1 : i + 1 + next;
        }
    }

    // Judges the link whose text is [open..close] and returns where it ends.
    private static int Link(string text, int open, int close, IReadOnlyList<string>? allowedHosts, ref LeakList matches)
    {
        var image = open > 0 && text[open - 1] == '!';
        var start = image ? open - 1 : open;
        var urlStart = close + 2;
        while (urlStart < text.Length && text[urlStart] == ' ')
        {
            urlStart++;
        }

        var angled = urlStart < text.Length && text[urlStart] == '<';
        urlStart += angled ? 1 : 0;
        var urlEnd = angled ? IndexOrEnd(text, '>', urlStart) : UrlSpans.End(text, urlStart);
        var end = LinkEnd(text, urlEnd);
        var url = text.AsSpan(urlStart, urlEnd - urlStart);
        if (!UrlSpans.TryGetAfterScheme(url, out var afterScheme))
        {
            return end;
        }

        if (image && IsChannel(url, allowedHosts, image: true))
        {
            matches.Add(start, end - start, LeakKind.Exfiltration, LeakLabels.MarkdownImage);
        }
        else if (!image && UrlSpans.CarriesData(afterScheme, image: false))
        {
            matches.Add(start, end - start, LeakKind.Exfiltration, LeakLabels.MarkdownLinkData);
        }
        else if (!image && allowedHosts is not null && !HostNames.AuthorityAllowed(afterScheme, allowedHosts))
        {
            matches.Add(start, end - start, LeakKind.Exfiltration, LeakLabels.UnlistedHost);
        }

        return end;
    }

    private static void FindBareUrls(string text, IReadOnlyList<string> allowedHosts, ref LeakList matches)
    {
        for (var separator = text.IndexOf("://", StringComparison.Ordinal); separator > 0;
             separator = text.IndexOf("://", separator + 3, StringComparison.Ordinal))
        {
            var start = separator;
            while (start > 0 && (char.IsAsciiLetterOrDigit(text[start - 1]) || text[start - 1] is '+' or '.' or '-'))
            {
                start--;
            }

            var scheme = text.AsSpan(start, separator - start);
            if (!(scheme.Equals("http", StringComparison.OrdinalIgnoreCase) || scheme.Equals("https", StringComparison.OrdinalIgnoreCase)
                  || scheme.Equals("ws", StringComparison.OrdinalIgnoreCase) || scheme.Equals("wss", StringComparison.OrdinalIgnoreCase)
                  || scheme.Equals("ftp", StringComparison.OrdinalIgnoreCase)))
            {
                continue;
            }

            var end = UrlSpans.End(text, start);
            if (end > separator + 3 && !HostNames.AuthorityAllowed(text.AsSpan(separator + 3, end - separator - 3), allowedHosts))
            {
                matches.Add(start, end - start, LeakKind.Exfiltration, LeakLabels.UnlistedHost);
            }

            // A "://" inside this URL (a redirect parameter) is part of it.
            separator = Math.Max(separator, end - 3);
        }
    }

    private static bool IsChannel(ReadOnlySpan<char> url, IReadOnlyList<string>? allowedHosts, bool image)
    {
        if (!UrlSpans.TryGetAfterScheme(url, out var afterScheme))
        {
            return false;
        }

        return UrlSpans.CarriesData(afterScheme, image) || (allowedHosts is not null && !HostNames.AuthorityAllowed(afterScheme, allowedHosts));
    }

    // After the URL: an optional title ("...") and the closing parenthesis.
    private static int LinkEnd(string text, int urlEnd)
    {
        var position = urlEnd;
        if (position < text.Length && text[position] == '>')
        {
            position++;
        }

        var limit = Math.Min(text.Length, position + 300);
        for (var i = position; i < limit; i++)
        {
            if (text[i] == ')')
            {
                return i + 1;
            }

            if (text[i] == '\n')
            {
                break;
            }
        }

        return urlEnd;
    }

    private static int IndexOrEnd(string text, char c, int start)
    {
        var index = text.IndexOf(c, start);
        return index < 0 ? text.Length : index;
    }

    private static ReadOnlySpan<char> Source(ReadOnlySpan<char> tag)
    {
        // The src attribute, not srcset or data-src.
        var value = ReadOnlySpan<char>.Empty;
        for (var at = 0; at < tag.Length;)
        {
            var src = tag[at..].IndexOf("src", StringComparison.OrdinalIgnoreCase);
            if (src < 0)
            {
                return default;
            }

            src += at;
            var rest = tag[(src + 3)..].TrimStart();
            if (src > 0 && char.IsWhiteSpace(tag[src - 1]) && rest.StartsWith('='))
            {
                value = rest[1..].TrimStart();
                break;
            }

            at = src + 3;
        }

        if (value.IsEmpty)
        {
            return default;
        }

        if (value[0] is '"' or '\'')
        {
            var quote = value[0];
            value = value[1..];
            var closing = value.IndexOf(quote);
            return closing < 0 ? value : value[..closing];
        }

        var stop = value.IndexOfAny(' ', '>', '\t');
        return stop < 0 ? value : value[..stop];
    }

    [GeneratedRegex(@"<img\b[^>]*\bsrc\s*=[^>]*>", RegexOptions.NonBacktracking | RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex ImageTag();
}
