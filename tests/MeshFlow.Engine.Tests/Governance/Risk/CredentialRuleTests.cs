using System.Text.Json;
using MeshFlow.Governance.Risk;

namespace MeshFlow.Tests.Governance.Risk;

public sealed class CredentialRuleTests
{
    // Made-up credentials in the shapes the rule knows; none of them is real.
    public static TheoryData<string, string> Credentials => new()
    {
        { "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU=\n-----END OPENSSH PRIVATE KEY-----", "a private key" },
        { "aws configure set aws_access_key_id AKIAQ3EXAMPLE7KEYXYZ", "an AWS access key" },
        { "use sk-proj-4fZk29QmXw81LpTt0aa9Bc3 for the call", "an API key" },
        { "ghp_Zx8Kq2mW9vT4bN6cR1yH3jL5pS7dF0gA2eUx", "a GitHub token" },
        { "xoxb-2211-993311-Qw3rTy9UiOp", "a Slack token" },
        { "Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.k3Xq", "a bearer token" },
        { "connection: host=db user=app password=Hunter2Secret", "a secret assignment" },
        { "export API_KEY=9f8e7d6c5b4a", "a secret assignment" },
        { "{\"client_secret\": \"c2VjcmV0LXZhbHVl\"}", "a secret assignment" },
    };

    [Theory]
    [MemberData(nameof(Credentials))]
    public void A_credential_in_a_tool_that_keeps_data_in_is_high(string value, string kind)
    {
        var assessment = RiskCall.Assess("summarize", RiskTier.Low, Arguments("text", value));

        Assert.Equal((RiskTier.High, RiskRuleIds.CredentialsInArguments), (assessment.Tier, assessment.Rule));
        Assert.Equal($"argument 'text' carries {kind}", assessment.Detail);
    }

    [Theory]
    [MemberData(nameof(Credentials))]
    public void A_credential_in_a_tool_that_sends_data_out_is_critical(string value, string kind)
    {
        var byName = RiskCall.Assess("send_email", RiskTier.Low, Arguments("body", value));
        var byUrl = RiskCall.Assess("summarize", RiskTier.Low,
            $$"""{ "text": {{JsonSerializer.Serialize(value)}}, "callback": "https://example.com/hook" }""");

        Assert.Equal((RiskTier.Critical, RiskRuleIds.CredentialsInArguments), (byName.Tier, byName.Rule));
        Assert.Equal($"argument 'body' carries {kind} and the call sends data out", byName.Detail);
        Assert.Equal((RiskTier.Critical, RiskRuleIds.CredentialsInArguments), (byUrl.Tier, byUrl.Rule));
    }

    [Theory]
    [MemberData(nameof(Credentials))]
    public void The_detail_never_contains_the_secret(string value, string kind)
    {
        var assessment = RiskCall.Assess("http_post", RiskTier.Low, Arguments("payload", value));

        Assert.Contains(kind, assessment.Detail, StringComparison.Ordinal);
        foreach (var piece in value.Split([' ', '\n', '=', ':', '"', '{', '}', '?', '@', '/'], StringSplitOptions.RemoveEmptyEntries))
        {
            if (piece.Length >= 8)
            {
                Assert.DoesNotContain(piece, assessment.Detail, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void A_value_under_a_secrets_name_is_a_credential_but_a_reference_to_one_is_not()
    {
        var named = RiskCall.Assess("connect", RiskTier.Low, """{ "user": "app", "DB_PASSWORD": "correct horse" }""");
        var referenced = RiskCall.Assess("connect", RiskTier.Low, """{ "user": "app", "password": "$DB_PASSWORD" }""");
        var placeholder = RiskCall.Assess("connect", RiskTier.Low, """{ "apiKey": "<your key here>" }""");

        Assert.Equal((RiskTier.High, "argument 'DB_PASSWORD' carries a value named as a secret"), (named.Tier, named.Detail));
        Assert.Equal(RiskRuleIds.Declared, referenced.Rule);
        Assert.Equal(RiskRuleIds.Declared, placeholder.Rule);
    }

    [Theory]
    [InlineData("the task-scheduler-configuration-file-for-prod is ready")]
    [InlineData("pip install sk-learn-extensions-and-more-things")]
    [InlineData("the bearer of this letter is authorised")]
    [InlineData("max_token=4096")]
    [InlineData("token=$GITHUB_TOKEN")]
    [InlineData("password=***")]
    [InlineData("AKIA is a prefix of AWS access key ids")]
    [InlineData("reset your password in settings")]
    public void Close_calls_are_not_credentials(string value)
    {
        var assessment = RiskCall.Assess("summarize", RiskTier.Low, Arguments("text", value));

        Assert.Equal((RiskTier.Low, RiskRuleIds.Declared), (assessment.Tier, assessment.Rule));
    }

    [Fact]
    public void A_pagination_token_count_is_not_a_credential()
    {
        var assessment = RiskCall.Assess("search", RiskTier.Low, """{ "max_tokens": 512, "page_token": "abc123" }""");

        Assert.Equal(RiskRuleIds.Declared, assessment.Rule);
    }

    private static string Arguments(string name, string value) =>
        $$"""{ {{JsonSerializer.Serialize(name)}}: {{JsonSerializer.Serialize(value)}} }""";
}
