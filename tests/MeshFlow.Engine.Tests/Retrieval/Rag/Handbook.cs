using MeshFlow.Retrieval.Documents;

namespace MeshFlow.Tests.Retrieval.Rag;

/// <summary>Ten short documents of a staff handbook, each on its own subject, written for these tests.</summary>
internal static class Handbook
{
    public static IReadOnlyList<KnowledgeDocument> Documents { get; } =
    [
        Document("leave", "leave.md",
            "Annual leave. Every full-time employee receives twenty-five days of paid holiday per calendar year. Unused days carry over until March 31 of the following year, after which they lapse."),
        Document("expenses", "expenses.md",
            "Expense claims. Receipts for meals, taxis and hotels are submitted in the finance portal within thirty days. Claims above 500 euros need a manager's approval before reimbursement."),
        Document("remote", "remote.md",
            "Working from home. Staff may work remotely up to three days a week after agreeing a schedule with their team lead. The office provides a monitor and a chair for home setups."),
        Document("security", "security.md",
            "Account security. Passwords are at least fourteen characters long and never reused. Two-factor authentication is mandatory for email, source control and the VPN."),
        Document("onboarding", "onboarding.md",
            "The first week. New hires meet their buddy on day one, receive a laptop from the IT desk and complete the compliance training before their first Friday."),
        Document("travel", "travel.md",
            "Business trips. Flights under six hours are booked in economy class through the travel agency. Train travel is preferred for journeys shorter than four hours."),
        Document("equipment", "equipment.md",
            "Hardware. Laptops are replaced every four years. A broken phone or keyboard is reported to the IT desk, which lends a spare device the same day."),
        Document("conduct", "conduct.md",
            "Code of conduct. Colleagues treat each other with respect. Harassment of any kind is reported to human resources or through the anonymous ethics hotline."),
        Document("reviews", "reviews.md",
            "Performance reviews. Each employee has a review with their manager twice a year, in June and December, covering goals, feedback and career development."),
        Document("parental", "parental.md",
            "Parental leave. Birth parents receive sixteen weeks of fully paid leave; the second parent receives eight weeks. Leave can start up to four weeks before the due date."),
    ];

    private static KnowledgeDocument Document(string id, string source, string text) => new(text) { Id = id, Source = source };
}
