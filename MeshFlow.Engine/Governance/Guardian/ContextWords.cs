namespace MeshFlow.Governance.Guardian;

/// <summary>The word lists <see cref="PhraseContext"/> reads the words before a phrase against (normalized, lower case).</summary>
internal static class ContextWords
{
    /// <summary>Words that report or discuss a phrase rather than say it: "attackers write '...'", "such as '...'".</summary>
    public static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> Frame = Lookup(
        "write", "writes", "wrote", "written", "writing", "type", "types", "typed", "typing", "say", "says", "said", "saying",
        "phrase", "phrases", "payload", "payloads", "string", "strings", "example", "examples", "e.g", "eg", "instance",
        "such", "like", "known", "called", "dubbed", "named", "include", "includes", "including", "included", "contain",
        "contains", "containing", "embed", "embeds", "embedded", "hide", "hides", "hidden", "inject", "injects", "injected",
        "injection", "injections", "insert", "inserts", "inserted", "attack", "attacks", "attacker", "attackers", "classic",
        "infamous", "famous", "common", "commonly", "typical", "typically", "variant", "variants", "pattern", "patterns",
        "keyword", "keywords", "words", "sentence", "sentences", "quote", "quoted", "quotes", "tells", "told", "telling",
        "asks", "asked", "asking", "instructs", "tricks", "tried", "tries", "try", "trying", "jailbreak", "jailbreaks",
        "prompts", "block", "blocks", "blocked", "detect", "detects", "detected", "flag", "flags", "flagged", "filter",
        "filters", "catch", "catches", "match", "matches", "reads", "researchers", "testers", "lists", "mentions", "cites");

    /// <summary>Words after which a verb is a command: "please ignore", "now call", "you must ignore".</summary>
    public static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> ImperativeLead = Lookup(
        "please", "now", "just", "immediately", "also", "and", "then", "so", "first", "instead", "simply", "kindly",
        "actually", "hey", "ok", "okay", "therefore", "always", "next", "finally", "quickly", "silently", "secretly",
        "urgently", "really", "carefully", "promptly", "absolutely", "certainly", "definitely", "strictly", "you", "you'll",
        "you'd", "assistant", "ai", "bot", "agent", "gpt", "chatgpt", "claude", "llm", "reader", "hereby", "important",
        "note", "urgent", "admin", "system", "but", "thus", "hence", "rather", "asap");

    /// <summary>Words before "to" that make the verb after it a command: "you need to", "it is important to".</summary>
    public static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> ToImperative = Lookup(
        "you", "need", "needs", "have", "has", "want", "wants", "must", "required", "instructed", "sure", "remember",
        "important", "supposed", "going", "ought", "got", "time", "task", "job", "goal", "mission", "objective", "purpose",
        "is", "are", "now", "please", "forget", "urgent", "essential", "necessary", "critical", "instead");

    /// <summary>Verbs of reported speech: "a page tells you to ...", "phishing mails ask you to ...".</summary>
    public static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> Reporting = Lookup(
        "tells", "told", "tell", "asks", "asked", "ask", "instructs", "instructed", "urges", "urged", "tricks", "tricked",
        "convinces", "convinced", "persuades", "persuaded", "wants", "wanted", "expects", "expected", "forces", "forced",
        "lets", "leads", "led", "directs", "directed", "prompts", "prompted", "encourages", "encouraged", "invites",
        "invited", "requests", "requested", "pressures", "manipulates", "coaxes", "lure", "lures");

    /// <summary>Modal verbs whose subject decides: "you must ignore" is a command, "attackers can ignore" is not.</summary>
    public static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> Modal = Lookup(
        "must", "should", "shall", "will", "need", "can", "could", "may", "might", "would");

    /// <summary>Subjects that make a modal a command: "you", or the assistant addressed by name.</summary>
    public static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> Addressee = Lookup(
        "you", "assistant", "ai", "agent", "bot", "chatbot", "llm", "gpt", "chatgpt", "claude", "copilot");

    /// <summary>Negations: "never ignore", "do not ignore", "n'ignorez", "не игнорируйте".</summary>
    public static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> Negation = Lookup(
        "never", "not", "don't", "dont", "doesn't", "didn't", "cannot", "can't", "won't", "wouldn't", "shouldn't", "mustn't",
        "no", "nobody", "nor", "neither", "не", "nicht", "nunca", "jamais", "pas", "non", "não", "nao", "n'", "ne");

    private static HashSet<string>.AlternateLookup<ReadOnlySpan<char>> Lookup(params string[] words) =>
        new HashSet<string>(words, StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
}
