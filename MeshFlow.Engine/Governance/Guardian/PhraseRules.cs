using System.Buffers;
using System.Text.RegularExpressions;

namespace MeshFlow.Governance.Guardian;

/// <summary>Runs each phrase pattern over the normalized text and keeps the matches their check accepts.</summary>
internal static class PhraseRules
{
    private const int Window = 300;

    // How far after a tool-call key its value (the tool's name) is looked for.
    private const int KeyValueReach = 64;

    /// <summary>
    /// The rules, in order: a pattern, the signal it raises, the check a match must pass, and hints (null: none), one of
    /// which every match contains; a text without a hint is not run through the pattern. A pattern changed without its
    /// hints fails <c>PhraseRuleHintTests</c>.
    /// </summary>
    internal static readonly (Func<Regex> Pattern, string Signal, PhraseCheck Check, SearchValues<string>? Hints)[] Rules =
    [
        (InjectionPatterns.IgnorePrevious, InjectionSignals.IgnoreInstructions, PhraseCheck.Command, Hints(
            "ignore", "disregard", "forget", "override", "overlook", "discard", "abandon", "bypass", "neglect", "skip", "aside",
            "throw", "pay", "follow", "obey", "adher", "comply")),
        (InjectionPatterns.IgnoreTheAbove, InjectionSignals.IgnoreInstructions, PhraseCheck.CommandAsking, Hints("ignore", "disregard", "forget")),
        (InjectionPatterns.NewInstructions, InjectionSignals.IgnoreInstructions, PhraseCheck.StatementAsking, null),
        (InjectionPatterns.InstructionsVoid, InjectionSignals.IgnoreInstructions, PhraseCheck.VoidedInstructions, Hints(
            "instruction", "rules", "prompt", "direction", "guideline", "directive", "guidance", "order", "constraint")),
        (InjectionPatterns.IgnorePreviousTranslated, InjectionSignals.IgnoreInstructions, PhraseCheck.NotNegated, Hints(
            "ignor", "olvid", "descarta", "omite", "esque", "desconsidere", "oubli", "tiens", "tenez", "vergiss", "vergessen",
            "missachte", "dimentic", "игнор", "забуд", "忽略", "无视", "忽视", "忘记", "忘掉", "無視", "忘れ")),
        (InjectionPatterns.RoleStatement, InjectionSignals.RoleOverride, PhraseCheck.Statement, null),
        (InjectionPatterns.ModeSwitch, InjectionSignals.RoleOverride, PhraseCheck.Mode, Hints("mode")),
        (InjectionPatterns.RoleCommand, InjectionSignals.RoleOverride, PhraseCheck.Command, Hints(
            "act", "behave", "respond", "answer", "operate", "function", "reply", "speak", "role", "pose", "pretend", "disable",
            "bypass", "turn", "ignore", "override", "remove", "deactivate", "circumvent", "drop", "forget", "escape")),
        (InjectionPatterns.BoundaryToken, InjectionSignals.PromptBoundary, PhraseCheck.Marker, null),
        (InjectionPatterns.BoundaryHeader, InjectionSignals.PromptBoundary, PhraseCheck.Statement, null),
        (InjectionPatterns.ToolCallObject, InjectionSignals.HiddenToolCall, PhraseCheck.ToolObject, null),
        (InjectionPatterns.UseTool, InjectionSignals.HiddenToolCall, PhraseCheck.SensitiveTool, Hints("tool", "function", "plugin", "action", "skill")),
        (InjectionPatterns.CallFunction, InjectionSignals.HiddenToolCall, PhraseCheck.SensitiveTool, Hints("_")),
        (InjectionPatterns.RunCommand, InjectionSignals.HiddenToolCall, PhraseCheck.DangerousCommand, null),
        (InjectionPatterns.RunTheFollowing, InjectionSignals.HiddenToolCall, PhraseCheck.StealthyCommand, null),
        (InjectionPatterns.SendSecrets, InjectionSignals.ExfiltrationRequest, PhraseCheck.Command, Hints(
            "send", "forward", "post", "mail", "transmit", "upload", "leak", "share", "exfiltrate", "paste", "submit", "relay",
            "deliver", "dump", "export", "sync", "push", "report", "envía", "envia", "manda", "enviar")),
        (InjectionPatterns.SmuggleInUrl, InjectionSignals.ExfiltrationRequest, PhraseCheck.Command, Hints(
            "append", "add", "attach", "include", "put", "embed", "insert", "place", "encode", "copy", "paste", "inject", "write")),
        (InjectionPatterns.Encoding, InjectionSignals.ExfiltrationRequest, PhraseCheck.EncodingSentence, null),
        (InjectionPatterns.TemplatedImage, InjectionSignals.ExfiltrationRequest, PhraseCheck.NotCode, null),
    ];

    public static void Scan(scoped in NormalizedText normalized, ref FindingList findings)
    {
        var text = normalized.Text;
        var fences = new CodeFences();
        foreach (var (pattern, signal, check, hints) in Rules)
        {
            if (hints is not null && !text.ContainsAny(hints))
            {
                continue;
            }

            var judgedUntil = 0;
            foreach (var match in pattern().EnumerateMatches(text))
            {
                if (findings.IsFull)
                {
                    return;
                }

                var start = match.Index;
                var end = match.Index + match.Length;

                // A tool-call key well inside the object already judged ("tool": ... "tool_name": ...) adds nothing.
                if (check == PhraseCheck.ToolObject)
                {
                    if (end + KeyValueReach <= judgedUntil)
                    {
                        continue;
                    }

                    judgedUntil = end + ToolCallWindow(text, end).Length;
                }

                if (Accepts(check, text, ref start, ref end, ref fences))
                {
                    var (originalStart, length) = normalized.ToOriginal(start, end - start);
                    findings.Add(signal, originalStart, length);
                }
            }
        }
    }

    private static bool Accepts(PhraseCheck check, ReadOnlySpan<char> text, ref int start, ref int end, ref CodeFences fences)
    {
        // Patterns anchored on a line start or quote include it; the finding starts at the words.
        while (start < end && text[start] is '\n' or ' ' or '"' or '\'' or '>')
        {
            start++;
        }

        switch (check)
        {
            case PhraseCheck.Command:
                return PhraseContext.ClassifyLead(text, start) == PhraseLead.Command;
            case PhraseCheck.CommandAsking:
                return PhraseContext.ClassifyLead(text, start) == PhraseLead.Command && PhraseContext.AsksForAction(text, end);
            case PhraseCheck.Statement:
                return IsStatement(text, start, end);
            case PhraseCheck.StatementAsking:
                return IsStatement(text, start, end) && PhraseContext.AsksForAction(text, end);
            case PhraseCheck.NotNegated:
                return PhraseContext.ClassifyLead(text, start) != PhraseLead.Negated;
            case PhraseCheck.Mode:
                return IsStatement(text, start, end) && (!IsWeakMode(text[start..end]) || PhraseContext.HasAiContext(text, start, end));
            case PhraseCheck.Marker:
                return IsMarker(text, start, end);
            case PhraseCheck.ToolObject:
                var call = ToolCallWindow(text, end);
                var dangerous = InjectionPatterns.DangerousCommand().IsMatch(call);
                return dangerous || (InjectionPatterns.SensitiveTool().IsMatch(call) && !IsCode(text, start, end, ref fences));
            case PhraseCheck.SensitiveTool:
                var name = text[start..end];
                name = name[(name.IndexOf(' ') + 1)..];
                return InjectionPatterns.SensitiveTool().IsMatch(name) && PhraseContext.ClassifyLead(text, start) == PhraseLead.Command;
            case PhraseCheck.VoidedInstructions:
                // Rules and guidelines are also legal and house rules; they count when the text goes on to ask for something.
                var voided = text[start..end];
                var weak = voided.Contains("rules", StringComparison.Ordinal) || voided.Contains("guidelines", StringComparison.Ordinal);
                return IsStatement(text, start, end) && (!weak || PhraseContext.AsksForAction(text, end));
            case PhraseCheck.DangerousCommand:
                // A dangerous command line is an injection unless negated or described ("attackers trick users into ...").
                var lead = PhraseContext.ClassifyLead(text, start);
                return (lead == PhraseLead.Command || (lead == PhraseLead.Mention && !PhraseContext.HasFrameWord(text, start, 160)))
                    && InjectionPatterns.DangerousCommand().IsMatch(RestOfLine(text, start));
            case PhraseCheck.StealthyCommand:
                if (PhraseContext.ClassifyLead(text, start) != PhraseLead.Command)
                {
                    return false;
                }

                var around = text[Math.Max(0, start - 100)..Math.Min(text.Length, end + 200)];
                return InjectionPatterns.Stealth().IsMatch(around)
                    || InjectionPatterns.DangerousCommand().IsMatch(text[end..Math.Min(text.Length, end + Window)]);
            case PhraseCheck.EncodingSentence:
                (start, end) = Sentence(text, start, end);
                var sentence = text[start..end];
                return InjectionPatterns.SensitiveData().IsMatch(sentence) && InjectionPatterns.UrlWord().IsMatch(sentence)
                    && !InjectionPatterns.Describing().IsMatch(sentence);
            case PhraseCheck.NotCode:
                return !IsCode(text, start, end, ref fences);
            default:
                return false;
        }
    }

    private static SearchValues<string> Hints(params string[] hints) => SearchValues.Create(hints, StringComparison.Ordinal);

    private static bool IsStatement(ReadOnlySpan<char> text, int start, int end) =>
        !PhraseContext.IsMention(text, start) && !PhraseContext.IsInInlineCode(text, start, end);

    private static bool IsCode(ReadOnlySpan<char> text, int start, int end, ref CodeFences fences) =>
        PhraseContext.IsInInlineCode(text, start, end) || fences.Contains(text, start);

    // "developer mode" is also a phone setting; "god mode" or "DAN mode" is not.
    private static bool IsWeakMode(ReadOnlySpan<char> match) =>
        match.Contains("developer", StringComparison.Ordinal) || match.Contains("dev ", StringComparison.Ordinal)
        || match.Contains("debug", StringComparison.Ordinal) || match.Contains("admin", StringComparison.Ordinal)
        || match.Contains("sudo", StringComparison.Ordinal) || match.Contains("root", StringComparison.Ordinal)
        || match.Contains("maintenance", StringComparison.Ordinal) || match.Contains("test", StringComparison.Ordinal);

    // A token in running prose ("wrap the turn in [INST] and [/INST] tags"), in code, quoted, or closing an HTML <s>
    // is talked about, not used.
    private static bool IsMarker(ReadOnlySpan<char> text, int start, int end)
    {
        if (PhraseContext.IsInInlineCode(text, start, end) || PhraseContext.IsMention(text, start))
        {
            return false;
        }

        var token = text[start..end];
        if (token is "</s>")
        {
            var line = text[Math.Max(0, start - 500)..start];
            line = line[(line.LastIndexOf('\n') + 1)..];
            if (line.Contains("<s>", StringComparison.Ordinal) || line.Contains("<s ", StringComparison.Ordinal))
            {
                return false;
            }
        }

        var inProse = start >= 2 && text[start - 1] == ' ' && char.IsLetterOrDigit(text[start - 2])
            && end + 1 < text.Length && text[end] is ' ' or '\n' && char.IsLetter(text[end + 1]);
        if (!inProse)
        {
            return true;
        }

        var after = text[end..Math.Min(text.Length, end + 60)];
        return !PhraseContext.HasFrameWord(text, start, 160) && !InjectionPatterns.FormatWord().IsMatch(after);
    }

    // The tool-call object up to its first closing brace or bracket.
    private static ReadOnlySpan<char> ToolCallWindow(ReadOnlySpan<char> text, int end)
    {
        var window = text[end..Math.Min(text.Length, end + Window)];
        var close = window.IndexOfAny('}', ']');
        return close < 0 ? window : window[..close];
    }

    private static ReadOnlySpan<char> RestOfLine(ReadOnlySpan<char> text, int start)
    {
        var rest = text[start..Math.Min(text.Length, start + Window)];
        var lineEnd = rest.IndexOf('\n');
        return lineEnd < 0 ? rest : rest[..lineEnd];
    }

    private static (int Start, int End) Sentence(ReadOnlySpan<char> text, int start, int end)
    {
        var from = start;
        while (from > 0 && start - from < 250 && !TextReading.IsSentenceEnd(text, from - 1))
        {
            from--;
        }

        var to = end;
        while (to < text.Length && to - end < 250 && !TextReading.IsSentenceEnd(text, to))
        {
            to++;
        }

        return (from, to);
    }
}
