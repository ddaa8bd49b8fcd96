using MeshFlow.Governance.Guardian;

namespace MeshFlow.Tests.Governance.Guardian;

public sealed class LeakScannerSecretTests
{
    public static TheoryData<string, string, string> Secrets() => FakeSecrets.InOutputs();

    // Look-alikes: placeholders that say so, documented examples, identifiers and digests that are not secrets.
    public static TheoryData<string> LookAlikes() =>
    [
        "Set OPENAI_API_KEY to your key (it starts with sk-...).",
        "OPENAI_API_KEY=YOUR_API_KEY",
        "api_key = \"sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\"",
        "Read the scikit-learn guide (sk-learn-preprocessing-tutorial) first.",
        "The AWS docs use AKIAIOSFODNN7EXAMPLE as the example access key.",
        "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "Request id 123e4567-e89b-12d3-a456-426614174000 failed at 10:42.",
        "Fixed in commit 3f2a9c1e7b4d5a6f8e9c0b1a2d3e4f5a6b7c8d9e on main.",
        "sha256:9b74c9897bac770ffc029102a200c5de4e5c1a2b3c4d5e6f7a8b9c0d1e2f3a4b5",
        "<img src=\"data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==\">",
        "DATABASE_URL=postgres://user:password@localhost:5432/app",
        "Server=db;Database=app;User Id=sa;Password={password};",
        "Password=${DB_PASSWORD};Host=db",
        "GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
        "-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----",
        "A token header such as eyJmb28iOiJiYXIifQ.eyJ4IjoxfQ.c2lnbmF0dXJl is not a JWT without alg.",
        "The task-force-alpha-2024-roadmap-update is due Friday.",
        "Our password policy: at least 12 characters.",
    ];

    [Theory]
    [MemberData(nameof(Secrets))]
    public void Each_secret_format_is_found_in_a_realistic_output(string output, string label, string secret)
    {
        var matches = new LeakScanner().Find(output);

        var match = Assert.Single(matches);
        Assert.Equal((LeakKind.Secret, label), (match.Kind, match.Label));
        Assert.Contains(secret, output.Substring(match.Start, match.Length), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Secrets))]
    public void Strip_leaves_no_part_of_the_secret_and_names_its_label(string output, string label, string secret)
    {
        var stripped = new LeakScanner().Strip(output, out var matches);

        Assert.Single(matches);
        Assert.DoesNotContain(secret, stripped, StringComparison.Ordinal);
        Assert.DoesNotContain(secret[..Math.Min(12, secret.Length)], stripped, StringComparison.Ordinal);
        Assert.Contains($"[SECRET-REDACTED:{label}]", stripped, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(LookAlikes))]
    public void Placeholders_and_identifiers_that_look_like_secrets_pass(string output)
    {
        Assert.Empty(new LeakScanner().Find(output));
    }

    [Fact]
    public void A_token_in_a_url_s_user_info_takes_the_whole_url_with_it()
    {
        var output = $"git clone https://x-access-token:{FakeSecrets.GitHub}@github.com/acme/app.git && cd app";

        var stripped = new LeakScanner().Strip(output, out var matches);

        Assert.Equal(LeakLabels.ConnectionString, Assert.Single(matches).Label);
        Assert.Equal("git clone [SECRET-REDACTED:connection_string] && cd app", stripped);
    }

    [Fact]
    public void Configured_secrets_are_found_exactly_and_short_values_are_ignored()
    {
        var scanner = new LeakScanner(["Vault-Pass-9931", "abc", "internal-webhook-secret-77"]);
        const string Output = "The vault pass is Vault-Pass-9931; abc is fine; internal-webhook-secret-77 signs hooks. vault-pass-9931 is not it.";

        var matches = scanner.Find(Output);

        Assert.Equal(
            [(Output.IndexOf("Vault-Pass-9931", StringComparison.Ordinal), 15), (Output.IndexOf("internal-", StringComparison.Ordinal), 26)],
            matches.Select(m => (m.Start, m.Length)));
        Assert.All(matches, m => Assert.Equal((LeakKind.Secret, LeakLabels.ConfiguredSecret), (m.Kind, m.Label)));
    }

    [Fact]
    public void The_longer_of_two_overlapping_configured_secrets_wins()
    {
        var scanner = new LeakScanner(["token-1234", "token-1234-extended"]);

        var stripped = scanner.Strip("use token-1234-extended here", out var matches);

        Assert.Equal("use [SECRET-REDACTED:configured_secret] here", stripped);
        Assert.Single(matches);
    }

    [Fact]
    public void A_match_and_the_stripped_text_never_contain_a_configured_secret()
    {
        const string Secret = "p4ssw0rd-for-the-run";
        var scanner = new LeakScanner([Secret]);

        var stripped = scanner.Strip($"Logged in with {Secret}, then again with {Secret}.", out var matches);

        Assert.Equal(2, matches.Count);
        Assert.DoesNotContain(Secret, stripped, StringComparison.Ordinal);
        Assert.All(matches, m => Assert.DoesNotContain(Secret, m.ToString(), StringComparison.Ordinal));
    }

    [Fact]
    public void Several_secrets_in_one_output_are_ordered_and_all_stripped()
    {
        var output = $"key {FakeSecrets.OpenAi}, token {FakeSecrets.GitHub}, db {FakeSecrets.PostgresUrl}";

        var stripped = new LeakScanner().Strip(output, out var matches);

        Assert.Equal([LeakLabels.OpenAiKey, LeakLabels.GitHubToken, LeakLabels.ConnectionString], matches.Select(m => m.Label));
        Assert.Equal("key [SECRET-REDACTED:openai_key], token [SECRET-REDACTED:github_token], db [SECRET-REDACTED:connection_string]", stripped);
    }

    [Fact]
    public void Strip_returns_the_same_instance_when_nothing_is_found()
    {
        const string Output = "The build passed; 42 tests ran in 3.1 s.";

        var stripped = new LeakScanner(["configured-secret-1"], ["example.com"]).Strip(Output, out var matches);

        Assert.Same(Output, stripped);
        Assert.Empty(matches);
    }
}
