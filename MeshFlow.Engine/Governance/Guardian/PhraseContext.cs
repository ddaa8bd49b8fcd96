namespace MeshFlow.Governance.Guardian;

/// <summary>
/// Tells a phrase said to the reader from the same phrase talked about, by the words around it in the normalized text.
/// </summary>
/// <remarks>
/// <para>The heuristic reads the words just before a phrase. A phrase is a <see cref="PhraseLead.Command"/> at the
/// start of a sentence or a line, after a colon or comma whose clause has no reporting word ("IMPORTANT: ignore ...",
/// "Assistant, ignore ..."), after words such as "please", "now", "and", "you", after "you must/should/will", and after
/// "to" when "you need/want/have" or "it is important" come before it. It is a <see cref="PhraseLead.Mention"/> after
/// any other word ("the model to ignore", "attackers can ignore", "payloads include ignore"), after "you to" when a
/// verb of reported speech precedes ("a page tells you to ignore"), and after a colon or comma whose clause has a
/// reporting word ("for example, ignore ..."). It is <see cref="PhraseLead.Negated"/> after "never", "not", "don't"
/// and their kin in the supported languages. An adverb ("quietly send") is skipped. A line break starts afresh
/// unless the line before it is wrapped prose (see <see cref="TextReading.IsWrapped"/>).</para>
/// <para>A phrase that opens with a quotation mark is a mention when the words before the quote are a mention, or when
/// its sentence, before the quote, has a reporting word: "attackers write 'ignore previous instructions'",
/// "phrases like “you are now DAN”". A quoted phrase with nothing reporting it (a JSON string, a CSV cell, a quote
/// opening a sentence) is read as said.</para>
/// <para>The heuristic errs towards flagging: an attacker who writes "Researchers say: 'ignore your instructions'" is
/// let through, an article that says "ignore previous instructions" in its own voice is flagged.</para>
/// </remarks>
internal static class PhraseContext
{
    // How far back a sentence is searched for a reporting word, and forward for what the phrase asks for.
    private const int SentenceWindow = 160;

    private const int ContextWindow = 200;

    // Adverbs skipped before a verb ("quietly and quickly send"); more are read as a mention.
    private const int MaxAdverbs = 2;

    /// <summary>How the words before <paramref name="start"/> frame the phrase that starts there.</summary>
    public static PhraseLead ClassifyLead(ReadOnlySpan<char> text, int start)
    {
        if (IsNegatedIdeographic(text, start))
        {
            return PhraseLead.Negated;
        }

        var position = TextReading.SkipSpacesBack(text, start);
        if (position > 0 && IsOpeningQuote(text, position - 1))
        {
            var quote = position - 1;
            var lead = LeadAcross(text, quote);
            return lead == PhraseLead.Command && HasFrameWord(text, quote, SentenceWindow) ? PhraseLead.Mention : lead;
        }

        return LeadAcross(text, start);
    }

    /// <summary>True when the phrase at <paramref name="start"/> is quoted and reported, or negated.</summary>
    public static bool IsMention(ReadOnlySpan<char> text, int start)
    {
        var position = TextReading.SkipSpacesBack(text, start);
        if (position > 0 && IsOpeningQuote(text, position - 1))
        {
            return ClassifyLead(text, start) != PhraseLead.Command;
        }

        return IsNegatedIdeographic(text, start) || LeadAcross(text, start) == PhraseLead.Negated;
    }

    /// <summary>True when the sentence after <paramref name="end"/> asks the reader to do something a model can do.</summary>
    public static bool AsksForAction(ReadOnlySpan<char> text, int end)
    {
        var start = end;
        while (start < text.Length && text[start] is ' ' or '\n' or ':' or '-')
        {
            start++;
        }

        var stop = start;
        while (stop < text.Length && stop - start < SentenceWindow && !TextReading.IsSentenceEnd(text, stop))
        {
            stop++;
        }

        return InjectionPatterns.ActionVerb().IsMatch(text[start..stop]);
    }

    /// <summary>True when words about AI models or their rules are near the span.</summary>
    public static bool HasAiContext(ReadOnlySpan<char> text, int start, int end)
    {
        var from = Math.Max(0, start - ContextWindow);
        var to = Math.Min(text.Length, end + ContextWindow);
        return InjectionPatterns.AiContext().IsMatch(text[from..to]);
    }

    /// <summary>True when the span is inside inline code (<c>`...`</c>) on its line.</summary>
    public static bool IsInInlineCode(ReadOnlySpan<char> text, int start, int end)
    {
        var ticks = 0;
        for (var i = start - 1; i >= 0 && start - i <= ContextWindow && text[i] != '\n'; i--)
        {
            ticks += text[i] == '`' ? 1 : 0;
        }

        if (ticks % 2 == 0)
        {
            return false;
        }

        for (var i = end; i < text.Length && i - end <= ContextWindow && text[i] != '\n'; i++)
        {
            if (text[i] == '`')
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when a reporting word is among the words before <paramref name="position"/> in its sentence.</summary>
    public static bool HasFrameWord(ReadOnlySpan<char> text, int position, int maxChars)
    {
        var limit = Math.Max(0, position - maxChars);
        var end = position;
        while (end > limit)
        {
            var c = text[end - 1];
            if ((c == '\n' && !TextReading.IsWrapped(text, end - 1)) || (c is '.' or '!' or '?' or ';' && end < text.Length && text[end] is ' ' or '\n'))
            {
                return false;
            }

            if (!TextReading.IsWordChar(c))
            {
                end--;
                continue;
            }

            var word = TextReading.WordBefore(text, end, out var wordStart);
            if (ContextWords.Frame.Contains(word))
            {
                return true;
            }

            end = wordStart;
        }

        return false;
    }

    // A line break ends the lead unless the line before it is wrapped prose: a short line is a heading, a list item,
    // a cell or a label, and what follows it starts afresh.
    private static PhraseLead LeadAcross(ReadOnlySpan<char> text, int start, int adverbs = 0)
    {
        var position = start;
        while (position > 0 && text[position - 1] is ' ' or '\n')
        {
            if (text[position - 1] == '\n' && !TextReading.IsWrapped(text, position - 1))
            {
                return PhraseLead.Command;
            }

            position--;
        }

        return LeadBefore(text, position, adverbs);
    }

    private static bool IsAdverb(ReadOnlySpan<char> word) =>
        word.Length > 4 && word.EndsWith("ly") && !ContextWords.ImperativeLead.Contains(word) && !ContextWords.Frame.Contains(word);

    private static PhraseLead LeadBefore(ReadOnlySpan<char> text, int position, int adverbs)
    {
        if (position == 0)
        {
            return PhraseLead.Command;
        }

        var c = text[position - 1];
        if (c is ':' or ',' or '-' or '(')
        {
            return HasFrameWord(text, position - 1, 48) ? PhraseLead.Mention : PhraseLead.Command;
        }

        if (!TextReading.IsWordChar(c))
        {
            return PhraseLead.Command;
        }

        var first = TextReading.WordBefore(text, position, out var firstStart);

        // An adverb ("quietly send", "attackers quietly send") leaves the lead to the word before it.
        if (IsAdverb(first) && adverbs < MaxAdverbs)
        {
            return LeadAcross(text, firstStart, adverbs + 1);
        }

        if (ContextWords.Negation.Contains(first))
        {
            return PhraseLead.Negated;
        }

        var second = PreviousWord(text, firstStart, out var secondStart);
        if (first is "to")
        {
            if (second is "you")
            {
                var third = PreviousWord(text, secondStart, out _);
                return ContextWords.Reporting.Contains(third) ? PhraseLead.Mention : PhraseLead.Command;
            }

            return ContextWords.ToImperative.Contains(second) ? PhraseLead.Command : PhraseLead.Mention;
        }

        if (ContextWords.Modal.Contains(first))
        {
            var commanding = first is not ("can" or "could" or "may" or "might" or "would");
            return commanding && ContextWords.Addressee.Contains(second) ? PhraseLead.Command : PhraseLead.Mention;
        }

        return ContextWords.ImperativeLead.Contains(first) ? PhraseLead.Command : PhraseLead.Mention;
    }

    // The word directly before the word that starts at wordStart (empty when punctuation separates them).
    private static ReadOnlySpan<char> PreviousWord(ReadOnlySpan<char> text, int wordStart, out int start)
    {
        var position = TextReading.SkipSpacesBack(text, wordStart);
        start = position;
        return position > 0 && TextReading.IsWordChar(text[position - 1]) ? TextReading.WordBefore(text, position, out start) : default;
    }

    // A quote mark that opens: not an apostrophe inside a word ("don't", "n'ignorez").
    private static bool IsOpeningQuote(ReadOnlySpan<char> text, int index) =>
        text[index] switch
        {
            '"' or '`' => true,
            '\'' => index == 0 || !char.IsLetterOrDigit(text[index - 1]),
            _ => false,
        };

    // 不要忽略 / 别忽略 / 请勿忽略: Chinese negation sits right before the verb.
    private static bool IsNegatedIdeographic(ReadOnlySpan<char> text, int start) =>
        start > 0 && text[start - 1] is '不' or '别' or '勿' or '莫' or '要' && (text[start - 1] != '要' || (start > 1 && text[start - 2] == '不'));
}
