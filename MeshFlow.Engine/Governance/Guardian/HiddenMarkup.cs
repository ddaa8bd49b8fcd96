using System.Text.RegularExpressions;

namespace MeshFlow.Governance.Guardian;

/// <summary>
/// Finds text hidden from a human reader but read by a model: HTML comments, elements styled invisible
/// (<c>display:none</c>, <c>visibility:hidden</c>, <c>font-size:0</c>, <c>opacity:0</c>, white text, off-screen
/// positions, the <c>hidden</c> attribute) and markdown comments (<c>[//]: # (...)</c>).
/// </summary>
/// <remarks>
/// Hidden text is common and mostly harmless (<c>&lt;!-- footer --&gt;</c>, a "Loading…" placeholder, a PR template's
/// "Please include a summary"), so hidden text is a finding only when it addresses an AI (assistant, LLM, chatbot,
/// Copilot, ...) with a directive, or asks for what an injection asks for: telling the user something, shaping "your
/// response", replying with something, not mentioning something, recommending, rating, ignoring instructions,
/// revealing the system prompt.
/// </remarks>
internal static partial class HiddenMarkup
{
    private const RegexOptions Options = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant;

    // Hidden text longer than this is judged on its start.
    private const int MaxBody = 1000;

    public static void Scan(scoped in NormalizedText normalized, ref FindingList findings)
    {
        var text = normalized.Text;
        for (var from = 0; from < text.Length && !findings.IsFull;)
        {
            var open = text[from..].IndexOf("<!--", StringComparison.Ordinal);
            if (open < 0)
            {
                break;
            }

            open += from;
            var close = text[(open + 4)..].IndexOf("-->", StringComparison.Ordinal);
            var bodyEnd = close < 0 ? Math.Min(text.Length, open + 4 + MaxBody) : open + 4 + close;
            var end = close < 0 ? bodyEnd : bodyEnd + 3;
            Judge(normalized, text[(open + 4)..Math.Min(bodyEnd, open + 4 + MaxBody)], open, end, ref findings);
            from = end;
        }

        foreach (var match in HiddenElement().EnumerateMatches(text))
        {
            if (findings.IsFull)
            {
                break;
            }

            var bodyStart = match.Index + match.Length;
            var closing = text[bodyStart..Math.Min(text.Length, bodyStart + MaxBody)].IndexOf("</", StringComparison.Ordinal);
            var bodyEnd = closing < 0 ? Math.Min(text.Length, bodyStart + MaxBody) : bodyStart + closing;
            Judge(normalized, text[bodyStart..bodyEnd], match.Index, bodyEnd, ref findings);
        }

        foreach (var match in MarkdownComment().EnumerateMatches(text))
        {
            Judge(normalized, text.Slice(match.Index, match.Length), match.Index, match.Index + match.Length, ref findings);
        }
    }

    private static void Judge(scoped in NormalizedText normalized, ReadOnlySpan<char> body, int start, int end, ref FindingList findings)
    {
        if (body.Length < 8)
        {
            return;
        }

        var addressed = HiddenAddress().IsMatch(body) && HiddenDirective().IsMatch(body);
        if (addressed || HiddenTask().IsMatch(body))
        {
            var (originalStart, length) = normalized.ToOriginal(start, end - start);
            findings.Add(InjectionSignals.HtmlComment, originalStart, length);
        }
    }

    [GeneratedRegex(
        @"<[a-z][a-z0-9]*\b[^>]{0,300}?(?:display\s*:\s*none|visibility\s*:\s*hidden|font-size\s*:\s*0(?:\.0+)?\s*(?:px|pt|em|rem|%)?\s*[;""']|opacity\s*:\s*0(?:\.0+)?\s*[;""']"
        + @"|color\s*[:=]\s*[""']?\s*(?:#fff\b|#ffffff\b|white\b|rgba?\(\s*255\s*,\s*255\s*,\s*255)|(?:left|top|text-indent|margin-left)\s*:\s*-\d{3,}|\shidden\b"
        + @"|(?:height|width|max-height)\s*:\s*0(?:px)?\s*;\s*overflow\s*:\s*hidden|clip\s*:\s*rect\(\s*0)[^>]{0,300}?>",
        Options)]
    private static partial Regex HiddenElement();

    [GeneratedRegex(@"(?:^|[""'>])\[(?://|comment|_)\]:\s*(?:#|<>)\s*\([^)]{0,1000}\)?", Options | RegexOptions.Multiline)]
    private static partial Regex MarkdownComment();

    [GeneratedRegex(
        @"\b(?:ai|a\.i\.|llms?|large\s+language\s+models?|language\s+models?|chatbots?|assistants?|gpts?|chatgpt|claude|copilot|gemini|bard|ai\s+agents?|ai\s+models?)\b",
        Options)]
    private static partial Regex HiddenAddress();

    [GeneratedRegex(
        @"\b(?:must|should|please|do\s+not|don't|never|always|say|tell|respond|reply|include|recommend|rate|describe|mention|omit|ignore|output|write|summari[sz]e"
        + @"|answer|state|claim|praise|add|insert|insist|pretend|act|treat|consider|remember|classify|mark|label|flag|rank|score|approve|reject|prioriti[sz]e)\b",
        Options)]
    private static partial Regex HiddenDirective();

    [GeneratedRegex(
        @"\b(?:tell|inform|warn|convince|persuade|remind)\s+(?:the\s+)?(?:user|users|reader|readers|customer|customers|human)\b|\b(?:in|into)\s+(?:your|the)\s+(?:response|answer|reply|summary|output)\b"
        + @"|\bwhen\s+(?:summari[sz]ing|answering|responding|replying|asked|generating|writing|reviewing)\b|\b(?:do\s+not|don't|never)\s+(?:mention|reveal|disclose|tell|say|show|cite|include)\b"
        + @"|\b(?:reply|respond|answer)\s+(?:only\s+)?(?:with|in|by)\b|\bsay\s+(?:that|this|only)\b|\brecommend\b|\brate\s+(?:this|it|the)\b"
        + @"|\b(?:ignore|disregard|forget)\s+(?:all\s+|any\s+|the\s+|your\s+|previous\s+|prior\s+)|\bsystem\s+prompt\b|\binstructions?\s+for\s+(?:the\s+)?(?:ai|assistant|model|llm|bot)"
        + @"|\b(?:summari[sz]e|describe)\s+(?:this|the)\s+(?:page|document|product|paper|readme|article|company|site)\s+as\b|\baccept\s+this\s+paper\b",
        Options)]
    private static partial Regex HiddenTask();
}
