using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace MeshFlow.Memory;

/// <summary>
/// Turns what an agent produced into what is worth remembering of it: the model's pleasantries and boilerplate, repeated
/// sentences and lines, tool noise (long raw JSON, stack traces, base64 runs, long hexadecimal ids, progress and log
/// lines) and markup are removed, whitespace is collapsed, and the rest is capped at a sentence boundary.
/// </summary>
/// <remarks>
/// Deterministic: the same text always gives the same memory. <see cref="Purify"/> returns null when nothing worth
/// remembering is left (fewer than <see cref="MinWords"/> words).
/// </remarks>
public sealed partial class ObservationPurifier
{
    /// <summary>The longest memory, in characters, when none is given.</summary>
    public const int DefaultMaxLength = 1000;

    /// <summary>The fewest words a memory keeps; anything shorter is not worth remembering.</summary>
    public const int MinWords = 3;

    // A bracketed JSON value at least this long is a tool's raw output, not prose.
    private const int MinJsonBlobLength = 120;

    /// <summary>A purifier capping memories at <see cref="DefaultMaxLength"/> characters.</summary>
    public static ObservationPurifier Default { get; } = new();

    /// <summary>Creates a purifier.</summary>
    /// <param name="maxLength">The longest memory in characters (at least 80).</param>
    public ObservationPurifier(int maxLength = DefaultMaxLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLength, 80);
        MaxLength = maxLength;
    }

    /// <summary>The longest memory in characters.</summary>
    public int MaxLength { get; }

    /// <summary>What is worth remembering of <paramref name="text"/>, or null when nothing is.</summary>
    public string? Purify(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }

        text = text.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        text = RemoveJsonBlobs(text);
        text = HtmlTag().Replace(text, " ");
        text = WebUtility.HtmlDecode(text);

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var kept = new List<string>();
        foreach (var raw in text.Split('\n'))
        {
            if (CleanLine(raw) is not { } line)
            {
                continue;
            }

            var sentences = new List<string>();
            foreach (var sentence in SentenceEnd().Split(line))
            {
                var trimmed = LeadInPrefix().Replace(Interjection().Replace(sentence.Trim(), string.Empty), string.Empty);
                if (IsBoilerplate(trimmed) || Normalize(trimmed) is not { Length: > 0 } normalized || !seen.Add(normalized))
                {
                    continue;
                }

                sentences.Add(trimmed);
            }

            if (sentences.Count > 0)
            {
                kept.Add(string.Join(' ', sentences));
            }
        }

        var purified = Cap(string.Join('\n', kept));
        return WordCount(purified) < MinWords ? null : purified;
    }

    // One line without its markup and noise; null when nothing of it is left.
    private static string? CleanLine(string line)
    {
        if (StackFrame().IsMatch(line) || LogLine().IsMatch(line) || ProgressLine().IsMatch(line) || MarkupOnlyLine().IsMatch(line))
        {
            return null;
        }

        if (line.TrimStart().StartsWith('|'))
        {
            // A table row: its cells, one after another.
            line = line.Trim().Trim('|').Replace("|", ";", StringComparison.Ordinal);
        }

        line = MarkdownImage().Replace(line, "$1");
        line = MarkdownLink().Replace(line, "$1");
        line = LinePrefix().Replace(line, string.Empty);
        line = Emphasis().Replace(line, string.Empty);
        line = Base64Run().Replace(line, string.Empty);
        line = HexId().Replace(line, string.Empty);
        line = Whitespace().Replace(line, " ").Trim();
        line = DanglingPunctuation().Replace(line, "$1");
        return WordCount(line) == 0 ? null : line;
    }

    // A sentence that carries nothing but the model's manners: an interjection, a lead-in to what follows, an offer of
    // more help, a disclaimer of being a model.
    private static bool IsBoilerplate(string sentence) =>
        Pleasantry().IsMatch(sentence) || LeadIn().IsMatch(sentence) || Disclaimer().IsMatch(sentence);

    // Two sentences are repeats when they read the same apart from case, spacing and closing punctuation.
    private static string Normalize(string sentence)
    {
        var text = new StringBuilder(sentence.Length);
        foreach (var c in sentence)
        {
            if (char.IsLetterOrDigit(c))
            {
                text.Append(char.ToLowerInvariant(c));
            }
            else if (char.IsWhiteSpace(c) && text.Length > 0 && text[^1] != ' ')
            {
                text.Append(' ');
            }
        }

        return text.ToString().TrimEnd();
    }

    // Cut at the last sentence (or line) end that fits; a first sentence longer than the cap is cut at a word.
    private string Cap(string text)
    {
        if (text.Length <= MaxLength)
        {
            return text;
        }

        var cut = -1;
        for (var i = MaxLength - 1; i > 0; i--)
        {
            if (text[i] is '.' or '!' or '?' && (i + 1 == text.Length || char.IsWhiteSpace(text[i + 1])))
            {
                cut = i + 1;
                break;
            }

            if (text[i] == '\n')
            {
                cut = i;
                break;
            }
        }

        if (cut > 0)
        {
            return text[..cut].TrimEnd();
        }

        var space = text.LastIndexOf(' ', MaxLength - 1);
        return string.Concat(text.AsSpan(0, space > 0 ? space : MaxLength - 1), "…");
    }

    private static int WordCount(string text)
    {
        var words = 0;
        var inWord = false;
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                if (!inWord)
                {
                    words++;
                    inWord = true;
                }
            }
            else if (c != '\'' && c != '-')
            {
                inWord = false;
            }
        }

        return words;
    }

    // Removes each bracketed JSON object or array that starts a line and runs at least MinJsonBlobLength characters,
    // found by matching brackets outside strings; a short one ({"ok": true}) stays, as prose might quote it.
    private static string RemoveJsonBlobs(string text)
    {
        StringBuilder? result = null;
        var copied = 0;
        var i = 0;
        while (i < text.Length)
        {
            var lineStart = i == 0 || text[i - 1] == '\n';
            var start = i;
            while (lineStart && start < text.Length && text[start] is ' ' or '\t')
            {
                start++;
            }

            if (lineStart && start < text.Length && text[start] is '{' or '[' && MatchingBracket(text, start) is var end and > 0
                && end - start + 1 >= MinJsonBlobLength && LooksLikeJson(text, start, end))
            {
                result ??= new StringBuilder(text.Length);
                result.Append(text, copied, start - copied).Append('\n');
                copied = end + 1;
                i = end + 1;
                continue;
            }

            var next = text.IndexOf('\n', i);
            i = next < 0 ? text.Length : next + 1;
        }

        return result is null ? text : result.Append(text, copied, text.Length - copied).ToString();
    }

    // The index of the bracket closing the one at start, or -1.
    private static int MatchingBracket(string text, int start)
    {
        var depth = 0;
        var inString = false;
        for (var i = start; i < text.Length; i++)
        {
            var c = text[i];
            if (inString)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    inString = false;
                }

                continue;
            }

            switch (c)
            {
                case '"':
                    inString = true;
                    break;
                case '{' or '[':
                    depth++;
                    break;
                case '}' or ']':
                    if (--depth == 0)
                    {
                        return i;
                    }

                    break;
            }
        }

        return -1;
    }

    // JSON has quoted keys or values; a bracketed aside in prose ([see the appendix ...]) has none.
    private static bool LooksLikeJson(string text, int start, int end) =>
        text.AsSpan(start, end - start + 1).Count('"') >= 4;

    [GeneratedRegex(@"<\s*/?\s*[a-zA-Z][a-zA-Z0-9-]*(\s[^<>]*)?/?\s*>")]
    private static partial Regex HtmlTag();

    // A sentence ends at . ! or ? followed by whitespace; a decimal (3.5) or an abbreviation inside a word (e.g.x) is not split.
    [GeneratedRegex(@"(?<=[.!?])\s+")]
    private static partial Regex SentenceEnd();

    // Frames of .NET, Java and JavaScript stack traces (a dotted method, or a file and line), Python's traceback lines,
    // and the markers between inner exceptions.
    [GeneratedRegex(
        @"^\s*(at\s+[\w$<>`\[\],]+(\.[\w$<>`\[\],|]+)+\s*\(.*\)(\s+in\s+.+)?\s*$|at\s+\S+\s+\([^()\s]*[/\\.][^()\s]*:\d+(:\d+)?\)\s*$|at\s+[^()\s]*[/\\.][^()\s]*:\d+:\d+\s*$|File\s+"".+"",\s+line\s+\d+|Traceback \(most recent call last\):|---\s*End of (inner exception )?stack trace|\.\.\.\s*\d+\s+more\s*$)")]
    private static partial Regex StackFrame();

    // Log lines: led by a timestamp, a bracketed level, .NET's console logger (info: Category[0]), or a debug level.
    [GeneratedRegex(
        @"^\s*(\[?\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}([.,]\d+)?)?(Z|[+-]\d{2}:?\d{2})?\]?\s|\[(TRACE|DEBUG|INFO|WARN|WARNING|ERROR|FATAL|CRITICAL|VERBOSE|TRC|DBG|INF|WRN|ERR|FTL)\]|(trce|dbug|info|warn|fail|crit):\s+[\w.]+\[\d+\]|(?-i:(TRACE|DEBUG|VERBOSE))\b[:\s])",
        RegexOptions.IgnoreCase)]
    private static partial Regex LogLine();

    // Progress: a bar, a bare percentage, or an -ing verb of work ending in dots, a percentage or a count.
    [GeneratedRegex(
        @"\[(?=[^\]]*[=#>])[=#>.\- ]{6,}\]|[█▓▒░■□]{3,}|^\s*\d{1,3}(\.\d+)?\s?%(\s*(complete|completed|done|finished))?\s*$|^\s*(downloading|uploading|loading|processing|fetching|installing|compiling|building|resolving|waiting|retrying|connecting|extracting|indexing|scanning|running)\b[^.!?]*(\.\.\.|…|\d+\s?%|\(?\d+\s*/\s*\d+\)?)\s*$",
        RegexOptions.IgnoreCase)]
    private static partial Regex ProgressLine();

    // Code fences, horizontal rules and table separators carry no content of their own.
    [GeneratedRegex(@"^\s*(```.*|~~~.*|([-*_]\s*){3,}|\|?(\s*:?-{3,}:?\s*\|)+\s*:?-*:?\s*)$")]
    private static partial Regex MarkupOnlyLine();

    [GeneratedRegex(@"!\[([^\]]*)\]\([^)]*\)")]
    private static partial Regex MarkdownImage();

    [GeneratedRegex(@"\[([^\]]+)\]\([^)]*\)")]
    private static partial Regex MarkdownLink();

    // Headings, block quotes and list markers.
    [GeneratedRegex(@"^\s*(#{1,6}\s+|>\s*|[-*+•]\s+|\d{1,3}[.)]\s+)")]
    private static partial Regex LinePrefix();

    [GeneratedRegex(@"\*\*|__|`")]
    private static partial Regex Emphasis();

    // A run of 40 or more base64 characters mixing upper case, lower case and digits (words, paths and slugs do not).
    [GeneratedRegex(@"(?<![\w+/=])(?=[A-Za-z0-9+/]*[0-9])(?=[A-Za-z0-9+/]*[a-z])(?=[A-Za-z0-9+/]*[A-Z])[A-Za-z0-9+/]{40,}={0,2}(?![\w+/=])")]
    private static partial Regex Base64Run();

    // Hexadecimal ids of 24 digits or more (object ids, hashes) and GUIDs.
    [GeneratedRegex(@"\b(0x)?[0-9a-fA-F]{24,}\b|\b[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}\b")]
    private static partial Regex HexId();

    [GeneratedRegex(@"[ \t\u00A0]+")]
    private static partial Regex Whitespace();

    // What removing an id leaves before punctuation: "id  ." becomes "id.".
    [GeneratedRegex(@"\s+([.,;:!?])")]
    private static partial Regex DanglingPunctuation();

    // An interjection opening a sentence ("Sure! ", "Of course, ", "Great question."): dropped, the rest of the sentence kept.
    [GeneratedRegex(@"^(sure thing|sure|certainly|of course|absolutely|great question|good question|great|okay|ok|alright|got it|no problem|thanks|thank you)\s*[!.,:;]+\s*", RegexOptions.IgnoreCase)]
    private static partial Regex Interjection();

    // A generic introduction before a colon ("Here is what I found: ", "Here's a quick summary: "): dropped, what follows
    // kept; one that names its subject ("Here are the three risks: ...") is part of what is said and stays.
    [GeneratedRegex(
        @"^(here(['’]s| is| are)|below (is|are)|the following (is|are))\s+(what i (found|have|came up with|discovered)|((the|a|an|my|your)\s+)?((quick|brief|short|revised|updated|final)\s+)?(summary|answer|result|results|update|overview|information|output|draft|analysis|breakdown|details|report|findings|response))\b[^.!?:]{0,60}:\s*",
        RegexOptions.IgnoreCase)]
    private static partial Regex LeadInPrefix();

    // Offers of more help, wishes and thanks.
    [GeneratedRegex(
        @"^(i hope (this|that|it) helps|hope (this|that|it) helps|let me know if|feel free to|please let me know|don['’]t hesitate to|do not hesitate to|is there anything else|if you (have|need) any (other|more|further)|i['’]?d be (happy|glad) to help|i am (happy|glad) to help|i['’]m (happy|glad) to help|happy to help|glad to help|good luck|thank you for (your|asking)|thanks for (your|asking))\b",
        RegexOptions.IgnoreCase)]
    private static partial Regex Pleasantry();

    // "Here is the summary:", "Below is the revised clause:", "Here's what I found." — a short sentence introducing what
    // follows; "Here are the risks: A and B." says something and stays.
    [GeneratedRegex(
        @"^((here(['’]s| is| are)|below (is|are)|the following (is|are))\b[^.!?:]{0,80}:|((here|there) you go|here it is|here(['’]s| is| are) (what i found|the (result|answer|summary|information|output|update)s?( you [^.!?:]{0,40})?))[.!]?)$",
        RegexOptions.IgnoreCase)]
    private static partial Regex LeadIn();

    [GeneratedRegex(@"\bas an ai\b|\bas a(n)? (large )?language model\b|\bi(['’]m| am) (just |only )?an ai\b|\bi(['’]m| am) (just |only )?a (large )?language model\b", RegexOptions.IgnoreCase)]
    private static partial Regex Disclaimer();
}
