namespace MeshFlow.Tests.Governance.Uncertainty;

/// <summary>
/// Short agent outputs of the kinds MeshFlow runs (contract review, clinical summaries, code answers), labelled by
/// hand. Written before the heuristic was run on them, with a few hard cases in each class (a confident answer that
/// says "might", a hedge in words the lists lack, a refusal without a stock phrase), so the accuracy is not a given.
/// </summary>
internal static class LabelledOutputs
{
    public const string Confident = "confident";
    public const string Hedging = "hedging";
    public const string Refusing = "refusing";

    public static readonly (string Label, string Output)[] All =
    [
        (Confident, "Clause 7.2 caps the supplier's liability at the fees paid in the twelve months before the claim. Indirect and consequential losses are excluded."),
        (Confident, "The Tenant may terminate this lease on 60 days' written notice after the first anniversary of the Commencement Date."),
        (Confident, "Use Dictionary<string, int> with TryGetValue; it performs one hash lookup instead of two."),
        (Confident, "Patient is a 64-year-old male admitted with community-acquired pneumonia. Started on ceftriaxone and azithromycin; oxygen saturation improved to 95% on room air."),
        (Confident, "The function returns null when the key is missing, so the caller must check the result before dereferencing it."),
        (Confident, "Yes. The indemnity in Section 9 covers third-party IP claims, including defence costs."),
        (Confident, "Discharge summary: uncomplicated laparoscopic cholecystectomy. No postoperative complications. Follow up in clinic in two weeks."),
        (Confident, "The invoice total is $4,250.00, due within 30 days of receipt."),
        (Confident, "Run dotnet test --filter Category=Unit to execute only the unit tests."),
        (Confident, "The non-compete applies for 12 months after termination and is limited to the territory defined in Schedule B."),
        (Confident, "HbA1c is 6.1%, within the prediabetic range; fasting glucose 108 mg/dL. Lifestyle counselling was provided."),
        (Confident, "The query is slow because orders has no index on customer_id; adding one turns the table scan into an index seek."),
        (Confident, "Approved. The expense report matches the receipts and stays within the travel policy limits."),
        (Confident, "The patient cannot tolerate NSAIDs because of a history of GI bleeding, so acetaminophen was prescribed instead."),
        (Confident, "In library code, call ConfigureAwait(false); otherwise continuations might deadlock on a UI thread."),

        (Hedging, "I think the limitation of liability clause probably covers data breaches, but I'm not sure it extends to regulatory fines."),
        (Hedging, "The rash might be contact dermatitis, although a fungal infection is also possible. Perhaps a KOH prep would help."),
        (Hedging, "As far as I know, Span<T> can't be used in async methods, but this may or may not have changed in C# 13."),
        (Hedging, "It is possible that the termination clause was triggered, but the notice period is unclear from the documents provided."),
        (Hedging, "The memory leak is probably caused by the event handler subscription, though it could also be the cache."),
        (Hedging, "I believe the warranty period is 24 months, but I'm not certain whether it starts at delivery or installation."),
        (Hedging, "Findings are unclear; the opacity may represent atelectasis or early consolidation."),
        (Hedging, "Maybe the deadlock comes from the nested lock; I'm not entirely sure without a thread dump."),
        (Hedging, "The contract seems to allow assignment without consent, but it's hard to say without seeing Schedule C."),
        (Hedging, "The dose should perhaps be reduced given the renal function, but I would check with pharmacy."),
        (Hedging, "This likely works on .NET 8, but I haven't verified it."),
        (Hedging, "The figure could be around $1.2 million, possibly more if the earn-out applies."),
        (Hedging, "To my knowledge the limitation period for breach of contract here is six years, but there may be exceptions."),
        (Hedging, "The symptoms could be consistent with migraine, though I wouldn't rule out a secondary cause."),
        (Hedging, "The 429s look like the rate limiter to me, but I can't tell which tier applies."),

        (Refusing, "I can't help with bypassing the licence check in this software."),
        (Refusing, "I'm sorry, but I cannot provide a diagnosis. Please consult a qualified physician."),
        (Refusing, "As an AI, I am not able to give legal advice about whether you should sign this contract."),
        (Refusing, "I'm unable to access the patient's records from this system."),
        (Refusing, "I won't write code that scrapes personal data without consent."),
        (Refusing, "I cannot assist with drafting a clause designed to mislead the counterparty."),
        (Refusing, "I must decline to recommend a specific dosage for this patient."),
        (Refusing, "Sorry, I can't share the contents of another customer's agreement."),
        (Refusing, "I am unable to complete this request because it would violate the data processing agreement."),
        (Refusing, "I'm not able to execute shell commands on your server."),
        (Refusing, "I will not generate credentials or help access accounts that are not yours."),
        (Refusing, "As an AI language model, I don't have access to your company's internal contracts."),
        (Refusing, "I cannot comply with this request; it asks me to alter signed medical records."),
        (Refusing, "Unfortunately I can’t provide that information."),
        (Refusing, "That request falls outside what I'm permitted to do, so I'll leave the audit ledger unchanged."),
    ];
}
