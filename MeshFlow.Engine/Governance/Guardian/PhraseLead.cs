namespace MeshFlow.Governance.Guardian;

/// <summary>How the words before a phrase frame it (see <see cref="PhraseContext.ClassifyLead"/>).</summary>
internal enum PhraseLead
{
    /// <summary>The phrase is said to the reader: at the start of a sentence, after "please", "you must", "Assistant,".</summary>
    Command,

    /// <summary>The phrase is talked about: quoted after "attackers write", or after "the model to", "can", "such as".</summary>
    Mention,

    /// <summary>The phrase is negated: "never ignore", "do not send".</summary>
    Negated,
}
