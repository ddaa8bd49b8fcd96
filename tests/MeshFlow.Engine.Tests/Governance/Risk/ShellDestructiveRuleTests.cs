using MeshFlow.Governance.Risk;

namespace MeshFlow.Tests.Governance.Risk;

public sealed class ShellDestructiveRuleTests
{
    [Theory]
    [InlineData("rm -rf build")]
    [InlineData("cd /srv && rm -fr ./data")]
    [InlineData("sudo rm -Rf /var/lib/app")]
    [InlineData("rm -r -f logs")]
    [InlineData("rm --recursive --force cache")]
    [InlineData("rm -r /")]
    [InlineData("rm -r ~")]
    [InlineData("rm --no-preserve-root -r /")]
    [InlineData("mkfs.ext4 /dev/sdb1")]
    [InlineData("dd if=/dev/zero of=/dev/sda bs=1M")]
    [InlineData("shred -u secrets.txt")]
    [InlineData(":(){ :|:& };:")]
    [InlineData("DROP TABLE customers;")]
    [InlineData("drop database prod")]
    [InlineData("TRUNCATE TABLE orders")]
    [InlineData("truncate audit_log;")]
    [InlineData("format c: /q")]
    [InlineData("del /s /q C:\\Users")]
    [InlineData("rmdir /s /q build")]
    [InlineData("Remove-Item C:\\data -Recurse -Force")]
    public void A_command_that_deletes_or_destroys_is_critical(string command)
    {
        var assessment = RiskCall.Assess("shell", RiskTier.Medium, Json(command));

        Assert.Equal((RiskTier.Critical, RiskRuleIds.ShellDestructive), (assessment.Tier, assessment.Rule));
    }

    [Theory]
    [InlineData("rm file.txt")]
    [InlineData("rm -r build/")]
    [InlineData("rm -f stale.lock")]
    [InlineData("ls -la")]
    [InlineData("git status")]
    [InlineData("SELECT * FROM orders WHERE dropped = 0")]
    [InlineData("echo 'truncate the summary to 100 words'")]
    [InlineData("the format: json")]
    [InlineData("npm run format")]
    [InlineData("firm -rf")]
    public void A_close_but_harmless_command_keeps_the_declared_tier(string command)
    {
        var assessment = RiskCall.Assess("shell", RiskTier.Medium, Json(command));

        Assert.Equal((RiskTier.Medium, RiskRuleIds.Declared), (assessment.Tier, assessment.Rule));
    }

    [Fact]
    public void Ls_on_a_low_tool_stays_low()
    {
        var assessment = RiskCall.Assess("list", RiskTier.Low, Json("ls -la"));

        Assert.Equal((RiskTier.Low, RiskRuleIds.Declared), (assessment.Tier, assessment.Rule));
    }

    [Fact]
    public void A_destructive_command_nested_in_an_array_is_found()
    {
        var assessment = RiskCall.Assess("batch", RiskTier.Low, """{ "steps": [ { "run": "echo hi" }, { "run": "rm -rf /srv" } ] }""");

        Assert.Equal((RiskTier.Critical, RiskRuleIds.ShellDestructive), (assessment.Tier, assessment.Rule));
        Assert.Equal("argument 'steps' holds a command that deletes or destroys", assessment.Detail);
    }

    private static string Json(string command) =>
        $$"""{ "command": {{System.Text.Json.JsonSerializer.Serialize(command)}} }""";
}
