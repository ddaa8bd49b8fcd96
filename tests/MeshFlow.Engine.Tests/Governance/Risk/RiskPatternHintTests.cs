using MeshFlow.Governance.Risk;

namespace MeshFlow.Tests.Governance.Risk;

/// <summary>The hints in front of each risk pattern must let through every value the pattern matches.</summary>
public sealed class RiskPatternHintTests
{
    private static readonly string[] s_values =
    [
        "rm -rf x", "RM\t-fr x", "rm\n-r -f x", "rm --recursive --force x", "rm -f -r x", "rm -r /", "rm -R ~", "rm -r *",
        "rm -r $HOME", "rm --no-preserve-root", "mkfs", "mkfs.ext4 /dev/sda", "dd if=/dev/zero of=/dev/sda",
        "shred -u a", "shred ~/x", "shred a.txt", ":(){ :|:& };:", "x; :() {", "DROP TABLE t", "drop schema s",
        "TRUNCATE TABLE t", "truncate t;", "format c:", "FORMAT.COM D:", "del /s x", "ERASE /q /S x", "rd /s x",
        "rmdir\t/s x", "Remove-Item x -Recurse",
        "-----BEGIN RSA PRIVATE KEY-----", "AKIA0123456789ABCDEF", "ASIA0123456789ABCDEF", "sk-abc123def456ghi789jkl",
        "ghp_abcdefghijklmnopqrstuvwxyz0123456789", "gho_abcdefghijklmnopqrstuvwxyz0123456789",
        "github_pat_abcdefghijklmnopqrstuvwxyz0123", "xoxb-1234567890-abc", "xoxp-1234567890-abc",
        "Bearer abcdefghijklmnop1", "authorization: basic dXNlcjpwYXNz", "password=hunter22", "PASSWD: 'hunter22'",
        "passphrase=opensesame", "secret=abcd1234", "client_secret = abcd", "token=abcd1234", "access_token=abcd",
        "api_key=abcd", "api-key=abcd", "apikey=abcd", "secret_key=abcd", "secretkey=abcd", "\"password\": \"hunter22\"",
        "$5", "€20", "£3.50", "¥1000", "₹500", "USD 500", "EUR5", "500 GBP", "7JPY", "20 dollars", "3 EUROS",
        "9 pounds sterling", "CHF 1", "CAD 2", "AUD 3", "INR 4", "CNY 5", "BTC 6",
    ];

    public static TheoryData<string> Values()
    {
        var data = new TheoryData<string>();
        foreach (var value in s_values)
        {
            data.Add(value);
            data.Add($"please run: {value} now");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Values))]
    public void The_hints_let_through_every_value_a_pattern_matches(string value)
    {
        Assert.True(!RiskPatterns.Destructive().IsMatch(value) || RiskPatterns.MayBeDestructive(value));
        Assert.True(!RiskPatterns.Credential().IsMatch(value) || RiskPatterns.MayBeCredential(value));
        Assert.True(!RiskPatterns.Money().IsMatch(value) || RiskPatterns.MayBeMoney(value));
    }

    [Fact]
    public void Every_value_is_matched_by_some_pattern()
    {
        foreach (var value in s_values)
        {
            var matched = RiskPatterns.Destructive().IsMatch(value) || RiskPatterns.Credential().IsMatch(value)
                || RiskPatterns.Money().IsMatch(value);
            Assert.True(matched, value);
        }
    }
}
