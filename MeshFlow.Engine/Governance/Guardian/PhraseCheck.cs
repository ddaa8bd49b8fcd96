namespace MeshFlow.Governance.Guardian;

/// <summary>What a pattern match must also satisfy to be a finding (see <see cref="PhraseRules"/>).</summary>
internal enum PhraseCheck
{
    /// <summary>Said as a command (<see cref="PhraseLead.Command"/>).</summary>
    Command,

    /// <summary>Said as a command, and the sentence goes on to ask for something a model can do.</summary>
    CommandAsking,

    /// <summary>Not quoted and reported, not negated, not inline code.</summary>
    Statement,

    /// <summary>A statement whose sentence goes on to ask for something a model can do.</summary>
    StatementAsking,

    /// <summary>A statement; when it voids "rules" or "guidelines", the sentence must also ask for something.</summary>
    VoidedInstructions,

    /// <summary>Not negated (translated phrases, whose lead words the lists do not cover).</summary>
    NotNegated,

    /// <summary>A statement; "developer", "debug" or "admin" mode also needs AI words nearby.</summary>
    Mode,

    /// <summary>A chat-format token that is not code, not quoted, not discussed in prose, not an HTML strike-through.</summary>
    Marker,

    /// <summary>A tool-call object naming a sensitive tool or carrying a dangerous command (in a code block: only the latter).</summary>
    ToolObject,

    /// <summary>A command to use a tool whose name is sensitive.</summary>
    SensitiveTool,

    /// <summary>A dangerous command line after "run" or "execute", not negated and not described.</summary>
    DangerousCommand,

    /// <summary>A command to run "the following command" with stealth, urgency, an AI addressed, or a dangerous command.</summary>
    StealthyCommand,

    /// <summary>A sentence naming an encoding, sensitive data and a URL, and not describing an attack.</summary>
    EncodingSentence,

    /// <summary>Not inside inline code or a code block.</summary>
    NotCode,
}
