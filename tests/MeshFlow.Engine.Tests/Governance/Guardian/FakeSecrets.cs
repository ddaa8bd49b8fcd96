using MeshFlow.Governance.Guardian;

namespace MeshFlow.Tests.Governance.Guardian;

/// <summary>
/// Invented secrets in the shapes <see cref="LeakScanner"/> knows, each in a realistic sentence of agent output. None is
/// real; the prefixes are joined at run time so that the source holds no complete token for secret scanners to trip on.
/// </summary>
internal static class FakeSecrets
{
    public static readonly string OpenAi = "sk-" + "proj-" + "T3BlbkFJq8Xz4LmN2pR7vK9sW1yB5dF0hJ6gC3tE";
    public static readonly string Anthropic = "sk-" + "ant-api03-" + "Zq7Lm2Np9Rx4Vt6Wb8Yc1Dd3Fe5Gh0Jk2Lm4Np6Rq8St0Uv";
    public static readonly string AwsAccess = "AK" + "IAQ3ZK7RMW4TJXN2PL";
    public static readonly string AwsSecret = "u7Vb9Xq2Lm4Np6Rt8Wz0Yc3Df5Gh1Jk7Mn9Pq2Sx";
    public static readonly string GitHub = "gh" + "p_" + "4qWB8dWKnHfDNxSIvPZZ63fFKcZjR4I0b3jR";
    public static readonly string GitHubPat = "github" + "_pat_" + "11ABCDE2F0_4qWB8dWKnHfDNxSIvPZZ63fFKcZjR4I0b3jR";
    public static readonly string Slack = "xo" + "xb-" + "2211993311-8877665544-Qw3rTy9UiOpAs5Df";
    public static readonly string Stripe = "sk" + "_live_" + "51Hx7Q2LmN8pR4vK9sW1yB5dF0";
    public static readonly string Google = "AI" + "za" + "SyD4qWB8dWKnHfDNxSIvPZZ63fFKcZjR4I0";
    public static readonly string AzureSubscription = "729fae923d5a4fd12aabfe228f219e9c";
    public static readonly string AzureAccountKey = "U8JZpDE0iGXlD6gNCFbaEPFjbD0kH8Oool8DklZDOCj2ISaJiHkTj0rLGlkoMXGjtEkDnNfribxUdl7dXTPyLs==";
    public static readonly string Jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJ1c2VyLTQyIiwicm9sZSI6ImFkbWluIn0.h9UCauSDmLhuVtcqcYezdZtDDj8hYs5suKcNd8Zra9A";
    public static readonly string PrivateKeyBody =
        "1twdTKWTddB+XhkAS1voQG6yyzyN9zHYIa4UOrGNATMuDJawTgsu8PO+799nKSNr\nh9UCauSDmLhuVtcqcYezdZ/tDDj8hYs5suKcNd8Zra9A9sKPxZ9W3qLy7zKUVQDT";
    public static readonly string PrivateKey = "-----BEGIN " + "RSA PRIVATE KEY-----\n" + PrivateKeyBody + "\n-----END RSA PRIVATE KEY-----";
    public static readonly string DbPassword = "Tr0ub4dor&3x";
    public static readonly string SqlConnection = $"Server=db.internal;Database=orders;User Id=app;Password={DbPassword};Encrypt=true";
    public static readonly string PostgresUrl = "postgres://app:Xq9vL2mN7r@db.internal:5432/orders";
    public static readonly string RedisUrl = "redis://:Zr8Kp3Wn6Vx@cache.internal:6379";
    public static readonly string MongoUrl = "mongodb+srv://svc:Fh4Tg7Jk2Ls@cluster0.mongodb.net/app";
    public static readonly string StorageConnection =
        $"DefaultEndpointsProtocol=https;AccountName=acmeprod;AccountKey={AzureAccountKey};EndpointSuffix=core.windows.net";

    /// <summary>Each secret in an output an agent could write, the label it should get, and the secret part to check for.</summary>
    public static TheoryData<string, string, string> InOutputs() => new()
    {
        { $"Here is the config you asked for: OPENAI_API_KEY={OpenAi}", LeakLabels.OpenAiKey, OpenAi },
        { $"export ANTHROPIC_API_KEY=\"{Anthropic}\"", LeakLabels.AnthropicKey, Anthropic },
        { $"The deploy role uses access key {AwsAccess} in eu-west-1.", LeakLabels.AwsAccessKey, AwsAccess },
        { $"[default]\naws_secret_access_key = {AwsSecret}\nregion = eu-west-1", LeakLabels.AwsSecretKey, AwsSecret },
        { $"GITHUB_TOKEN={GitHub} is set for the release workflow.", LeakLabels.GitHubToken, GitHub },
        { $"Use the fine-grained token {GitHubPat} for the release job.", LeakLabels.GitHubToken, GitHubPat },
        { $"The bot posts with token {Slack} to #alerts.", LeakLabels.SlackToken, Slack },
        { $"Stripe.ApiKey = \"{Stripe}\";", LeakLabels.StripeKey, Stripe },
        { $"<script src=\"https://maps.googleapis.com/maps/api/js?key={Google}\"></script>", LeakLabels.GoogleApiKey, Google },
        { $"curl -H \"Ocp-Apim-Subscription-Key: {AzureSubscription}\" https://acme.cognitiveservices.azure.com/", LeakLabels.AzureKey, AzureSubscription },
        { $"Set AccountKey={AzureAccountKey} in the vault entry.", LeakLabels.AzureKey, AzureAccountKey },
        { $"I found this key in the repo:\n{PrivateKey}\nIt should be rotated.", LeakLabels.PrivateKey, PrivateKeyBody[..40] },
        { $"Authorization: Bearer {Jwt}", LeakLabels.Jwt, Jwt },
        { $"\"ConnectionStrings\": {{ \"Orders\": \"{SqlConnection}\" }}", LeakLabels.ConnectionString, DbPassword },
        { $"DATABASE_URL={PostgresUrl}", LeakLabels.ConnectionString, "Xq9vL2mN7r" },
        { $"The cache is at {RedisUrl} (no TLS).", LeakLabels.ConnectionString, "Zr8Kp3Wn6Vx" },
        { $"mongo \"{MongoUrl}\" --eval 'db.stats()'", LeakLabels.ConnectionString, "Fh4Tg7Jk2Ls" },
        { $"AZURE_STORAGE_CONNECTION_STRING=\"{StorageConnection}\"", LeakLabels.ConnectionString, AzureAccountKey },
    };
}
