namespace MeshFlow.Governance.Guardian;

/// <summary>The labels of <see cref="LeakMatch"/> (snake_case, as they travel on the wire).</summary>
public static class LeakLabels
{
    /// <summary>An OpenAI API key: <c>sk-</c>, <c>sk-proj-</c>, <c>sk-svcacct-</c>, <c>sk-admin-</c>.</summary>
    public const string OpenAiKey = "openai_key";

    /// <summary>An Anthropic API key: <c>sk-ant-</c>.</summary>
    public const string AnthropicKey = "anthropic_key";

    /// <summary>An AWS access key id: <c>AKIA</c> or <c>ASIA</c> and 16 characters.</summary>
    public const string AwsAccessKey = "aws_access_key";

    /// <summary>An AWS secret access key: 40 characters after <c>aws_secret_access_key</c> or <c>SecretAccessKey</c>.</summary>
    public const string AwsSecretKey = "aws_secret_key";

    /// <summary>A GitHub token: <c>ghp_</c>, <c>gho_</c>, <c>ghu_</c>, <c>ghs_</c>, <c>ghr_</c>, <c>github_pat_</c>.</summary>
    public const string GitHubToken = "github_token";

    /// <summary>A Slack token (<c>xoxb-</c>, <c>xoxp-</c>, ...) or a Slack incoming-webhook URL.</summary>
    public const string SlackToken = "slack_token";

    /// <summary>A live Stripe key: <c>sk_live_</c> or <c>rk_live_</c>.</summary>
    public const string StripeKey = "stripe_key";

    /// <summary>A Google API key: <c>AIza</c> and 35 characters.</summary>
    public const string GoogleApiKey = "google_api_key";

    /// <summary>An Azure key: after <c>Ocp-Apim-Subscription-Key</c>, or a bare <c>AccountKey=</c>.</summary>
    public const string AzureKey = "azure_key";

    /// <summary>A PEM private key block, from its BEGIN line to its END line.</summary>
    public const string PrivateKey = "private_key";

    /// <summary>A JSON Web Token whose header decodes to JSON with an <c>alg</c>.</summary>
    public const string Jwt = "jwt";

    /// <summary>A connection string with a password or account key, or a URL with a password in it.</summary>
    public const string ConnectionString = "connection_string";

    /// <summary>One of the run's own configured secret values.</summary>
    public const string ConfiguredSecret = "configured_secret";

    /// <summary>A markdown (or HTML) image whose URL carries data or points outside the allow list.</summary>
    public const string MarkdownImage = "markdown_image";

    /// <summary>A markdown link whose query string carries data.</summary>
    public const string MarkdownLinkData = "markdown_link_data";

    /// <summary>A URL to a host outside the allow list.</summary>
    public const string UnlistedHost = "unlisted_host";
}
