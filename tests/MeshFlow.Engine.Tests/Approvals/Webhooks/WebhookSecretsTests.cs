using MeshFlow.Approvals.Webhooks;
using Microsoft.Extensions.Configuration;

namespace MeshFlow.Tests.Approvals.Webhooks;

public sealed class WebhookSecretsTests
{
    [Fact]
    public void Entries_give_each_tenant_its_secrets_and_a_repeated_tenant_keeps_all_of_them_in_order()
    {
        var (acmeOld, acmeNew, globex) = (StandardWebhooksVerifier.NewSecret(), StandardWebhooksVerifier.NewSecret(), StandardWebhooksVerifier.NewSecret());

        var secrets = WebhookSecrets.Parse($"acme={acmeOld}, globex={globex},acme={acmeNew},");

        Assert.Equal(2, secrets.For("acme").Count);
        Assert.Single(secrets.For("globex"));
        Assert.Empty(secrets.For("initech"));
        var header = WebhookSigner.SignatureHeader(secrets.For("acme"), "msg_1", 1_700_000_000, "{}");
        var signatures = header.Split(' ');
        var at = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        Assert.True(StandardWebhooksVerifier.Verify(acmeOld, "msg_1", "1700000000", signatures[0], "{}", at));
        Assert.True(StandardWebhooksVerifier.Verify(acmeNew, "msg_1", "1700000000", signatures[1], "{}", at));
    }

    [Fact]
    public void A_file_adds_one_entry_per_line_and_skips_comments_and_blank_lines()
    {
        var (fromVariable, fromFile) = (StandardWebhooksVerifier.NewSecret(), StandardWebhooksVerifier.NewSecret());
        var file = $"# rotated 2026-12-01\r\n\r\nacme={fromFile}\r\n  # globex is not live yet\n";

        var secrets = WebhookSecrets.Parse($"acme={fromVariable}", file);

        Assert.Equal(2, secrets.For("acme").Count);
        Assert.Equal(["acme"], secrets.Tenants);
    }

    [Fact]
    public void The_same_secret_listed_twice_signs_once()
    {
        var secret = StandardWebhooksVerifier.NewSecret();

        Assert.Single(WebhookSecrets.Parse($"acme={secret}", $"acme={secret}\n").For("acme"));
    }

    [Fact]
    public void Load_reads_the_variable_and_the_file_it_names()
    {
        var (fromVariable, fromFile) = (StandardWebhooksVerifier.NewSecret(), StandardWebhooksVerifier.NewSecret());
        var path = Path.Combine(Path.GetTempPath(), $"meshflow-webhook-secrets-{Guid.NewGuid():N}.txt");
        File.WriteAllText(path, $"globex={fromFile}\n");
        try
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
            {
                [WebhookSecrets.SecretsKey] = $"acme={fromVariable}",
                [WebhookSecrets.SecretsFileKey] = path,
            }).Build();

            var secrets = WebhookSecrets.Load(configuration);

            Assert.Single(secrets.For("acme"));
            Assert.Single(secrets.For("globex"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void A_missing_secrets_file_is_named_in_the_error()
    {
        var path = Path.Combine(Path.GetTempPath(), $"meshflow-no-such-file-{Guid.NewGuid():N}.txt");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [WebhookSecrets.SecretsFileKey] = path,
        }).Build();

        var error = Assert.Throws<InvalidOperationException>(() => WebhookSecrets.Load(configuration));

        Assert.Contains(path, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("whsec_{1}", "entry 2: expected 'tenant=whsec_…' but there is no '='")]
    [InlineData("={0}", "entry 2: the tenant before '=' is empty")]
    [InlineData("{0}", "entry 2: the entry starts with a secret; expected 'tenant=whsec_…'")]
    [InlineData("globex=whsec_c2hvcnQ=", "entry 2 (tenant 'globex'): the secret decodes to 5 bytes; 24 to 64 are required")]
    [InlineData("globex={1}", "entry 2 (tenant 'globex'): the secret does not start with 'whsec_'")]
    [InlineData("globex=whsec_{1}!", "entry 2 (tenant 'globex'): the secret after 'whsec_' is not valid base64")]
    public void A_bad_entry_is_named_by_position_and_problem_but_its_secret_is_never_shown(string badEntry, string expected)
    {
        var secret = StandardWebhooksVerifier.NewSecret();
        var bare = secret["whsec_".Length..].TrimEnd('=');
        var entries = $"acme={StandardWebhooksVerifier.NewSecret()},{string.Format(null, badEntry, secret, bare)}";

        var error = Assert.Throws<FormatException>(() => WebhookSecrets.Parse(entries));

        Assert.StartsWith($"{WebhookSecrets.SecretsKey} {expected}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(bare, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_line_in_the_file_is_named_by_its_line_number()
    {
        var secret = StandardWebhooksVerifier.NewSecret(16);
        var file = $"# tenants\nacme={StandardWebhooksVerifier.NewSecret()}\n\nglobex={secret}\n";

        var error = Assert.Throws<FormatException>(() => WebhookSecrets.Parse(null, file));

        Assert.Equal($"{WebhookSecrets.SecretsFileKey} line 4 (tenant 'globex'): the secret decodes to 16 bytes; 24 to 64 are required", error.Message);
        Assert.DoesNotContain(secret["whsec_".Length..], error.Message, StringComparison.Ordinal);
    }
}
