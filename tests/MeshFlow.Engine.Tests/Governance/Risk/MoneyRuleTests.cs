using MeshFlow.Governance.Risk;

namespace MeshFlow.Tests.Governance.Risk;

public sealed class MoneyRuleTests
{
    [Theory]
    [InlineData("""{ "memo": "Pay the supplier $1,200.00 today" }""")]
    [InlineData("""{ "memo": "refund €20 to the customer" }""")]
    [InlineData("""{ "memo": "wire USD 500 to account 4411" }""")]
    [InlineData("""{ "memo": "transfer 2500 EUR" }""")]
    [InlineData("""{ "memo": "tip them 20 dollars" }""")]
    [InlineData("""{ "amount": 49.99, "currency": "gbp" }""")]
    [InlineData("""{ "payment": { "price": 12 } }""")]
    [InlineData("""{ "transfer_amount": "1200.50" }""")]
    public void An_amount_of_money_is_high(string arguments)
    {
        var assessment = RiskCall.Assess("ledger", RiskTier.Low, arguments);

        Assert.Equal((RiskTier.High, RiskRuleIds.MoneyInArguments), (assessment.Tier, assessment.Rule));
    }

    [Theory]
    [InlineData("""{ "memo": "meeting at 10:30 in room 4" }""")]
    [InlineData("""{ "command": "awk '{print $1}' data.csv" }""")]
    [InlineData("""{ "memo": "use ${1} and $$ in the template" }""")]
    [InlineData("""{ "count": 500, "page": 2 }""")]
    [InlineData("""{ "memo": "the parcel weighs 20 pounds" }""")]
    [InlineData("""{ "amount": "all of them" }""")]
    public void Numbers_that_are_not_money_keep_the_declared_tier(string arguments)
    {
        var assessment = RiskCall.Assess("ledger", RiskTier.Low, arguments);

        Assert.Equal((RiskTier.Low, RiskRuleIds.Declared), (assessment.Tier, assessment.Rule));
    }

    [Fact]
    public void The_detail_names_the_argument_not_the_amount()
    {
        var assessment = RiskCall.Assess("ledger", RiskTier.Low, """{ "memo": "Pay $98,765.43 now" }""");

        Assert.Equal("argument 'memo' carries an amount of money", assessment.Detail);
        Assert.DoesNotContain("98", assessment.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_clr_decimal_under_a_money_name_counts()
    {
        var arguments = new Dictionary<string, object?> { ["price"] = 9.5m };

        var assessment = RiskRules.AssessTool("shop", RiskTier.Low, new Dictionary<string, RiskTier>(), arguments, RiskRuleOptions.Default);

        Assert.Equal(RiskRuleIds.MoneyInArguments, assessment.Rule);
    }
}
