namespace MeshFlow.Governance.Risk;

/// <summary>The risk tier of one tool or model call, and the rule that set it.</summary>
/// <param name="Tier">The tier the call is governed at.</param>
/// <param name="Rule">
/// The stable snake_case id of the rule that set <paramref name="Tier"/>, one of <see cref="RiskRuleIds"/>.
/// </param>
/// <param name="Detail">
/// A short explanation for people. It names the argument that raised the tier, never that argument's content, so a
/// credential the rules find is not copied into logs, ledgers or approval requests.
/// </param>
public readonly record struct RiskAssessment(RiskTier Tier, string Rule, string Detail);
