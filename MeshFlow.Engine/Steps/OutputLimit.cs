namespace MeshFlow.Steps;

/// <summary>
/// The output-token limit a call of a step asks for. Providers refuse a limit above the model's own (a 400 for
/// max_tokens 1,000,000), so what the run's token budget leaves caps a call only once it is below every current
/// model's limit; above that, the model's own limit applies and the checks after the step hold the budget.
/// </summary>
internal static class OutputLimit
{
    // The output-token limit of the current model with the smallest one (gpt-4o's 16,384).
    public const int Floor = 16_384;

    /// <summary>The limit to ask for: the node's own, lowered to what the budget leaves when that is below <see cref="Floor"/>; null for none.</summary>
    public static int? For(int? nodeLimit, long budgetLeft)
    {
        var budgetCap = budgetLeft <= Floor ? (int)Math.Max(1, budgetLeft) : int.MaxValue;
        var limit = Math.Min(nodeLimit ?? int.MaxValue, budgetCap);
        return limit == int.MaxValue ? null : limit;
    }
}
