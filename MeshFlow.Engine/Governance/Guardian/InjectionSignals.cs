namespace MeshFlow.Governance.Guardian;

/// <summary>The names <see cref="InjectionScanner"/> gives its findings (snake_case, as they travel on the wire).</summary>
public static class InjectionSignals
{
    /// <summary>
    /// Text that tries to cancel or replace the instructions the model was given: "ignore/disregard/forget all previous
    /// instructions", "new instructions:", "your real task is", and instructions addressed to whatever AI reads the
    /// text ("Note to AI assistants reading this page: ...", "If you are an AI model summarizing this, ...").
    /// </summary>
    public const string IgnoreInstructions = "ignore_instructions";

    /// <summary>Text that tries to give the model another persona without its rules ("you are now DAN", "developer mode enabled").</summary>
    public const string RoleOverride = "role_override";

    /// <summary>Fake chat-format markers inside data (<c>&lt;|im_start|&gt;system</c>, <c>[INST]</c>, "### System:", "SYSTEM: you ...").</summary>
    public const string PromptBoundary = "prompt_boundary";

    /// <summary>Tool-call requests inside data: tool-call JSON naming a sensitive tool, "call the shell tool", "execute `rm -rf /`".</summary>
    public const string HiddenToolCall = "hidden_tool_call";

    /// <summary>
    /// Characters a reader cannot see: Unicode tag characters, bidi overrides and isolates, and zero-width characters
    /// that split a keyword or come several together.
    /// </summary>
    public const string InvisibleUnicode = "invisible_unicode";

    /// <summary>Instructions for the model inside an HTML comment or an element styled to be invisible.</summary>
    public const string HtmlComment = "html_comment";

    /// <summary>A request to send the conversation, secrets or keys somewhere, or to smuggle them out in a URL.</summary>
    public const string ExfiltrationRequest = "exfiltration_request";
}
