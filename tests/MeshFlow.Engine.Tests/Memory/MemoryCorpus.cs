namespace MeshFlow.Tests.Memory;

/// <summary>Twenty memories of unrelated work, and questions about four of them.</summary>
internal static class MemoryCorpus
{
    public static readonly string[] Memories =
    [
        "The client's dog needs its vaccinations renewed before the kennel stay in June.",
        "Quarterly revenue grew eleven percent, driven by subscription renewals in Europe.",
        "The office Wi-Fi password rotates every Monday and is posted at reception.",
        "Acme Corp's master services agreement caps liability at twelve months of fees.",
        "Our Berlin warehouse switched its night shift to four ten-hour days.",
        "The database migration must run before the API deploy, never after.",
        "Maria prefers meetings before noon and never on Fridays.",
        "The quarterly board meeting moved from Boston to Chicago this year.",
        "Invoices over fifty thousand dollars need approval from the finance director.",
        "The mobile app crashes on Android 12 when the camera permission is denied.",
        "Shipping to Canada requires a customs declaration for every parcel.",
        "The marketing team chose teal and charcoal as the new brand colours.",
        "Patient intake forms must be scanned within twenty-four hours of the visit.",
        "The legal team flagged the non-compete clause as unenforceable in California.",
        "Our cloud bill doubled after the logging retention was raised to a year.",
        "The espresso machine on the third floor is broken until the technician visits Thursday.",
        "Candidates for the data engineer role take a two-hour SQL exercise.",
        "The tenant's lease allows subletting only with the landlord's written consent.",
        "Solar panels on the roof produce most of the building's power in summer.",
        "The fire safety course is mandatory for all new hires.",
    ];

    /// <summary>Paraphrases that share no content word with the memory they ask about.</summary>
    public static readonly (string Query, int Memory)[] Paraphrases =
    [
        ("Which pet requires shots prior to boarding?", 0),
        ("Who has to sign off on large bills?", 8),
        ("What happens to our phone software when photo access is refused?", 9),
        ("Can the renter let someone else live in the flat?", 17),
    ];

    /// <summary>Questions that share words with the memory they ask about.</summary>
    public static readonly (string Query, int Memory)[] Overlapping =
    [
        ("Who approves invoices over fifty thousand dollars?", 8),
        ("Which clause did the legal team flag?", 13),
        ("When must patient intake forms be scanned?", 12),
        ("Where did the board meeting move?", 7),
    ];
}
