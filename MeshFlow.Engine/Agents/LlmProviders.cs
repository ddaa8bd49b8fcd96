namespace MeshFlow.Agents;

/// <summary>The provider kinds an <see cref="LlmConnection"/> may name, and what each needs.</summary>
public static class LlmProviders
{
    /// <summary>OpenAI, or any OpenAI-compatible endpoint (bearer key).</summary>
    public const string OpenAi = "openai";

    /// <summary>Azure OpenAI: deployment paths, <c>api-version</c>, an <c>api-key</c> header or a bearer token.</summary>
    public const string Azure = "azure";

    /// <summary>Anthropic's Messages API, through the official Anthropic SDK.</summary>
    public const string Anthropic = "anthropic";

    /// <summary>A local Ollama server, through OllamaSharp.</summary>
    public const string Ollama = "ollama";

    /// <summary>Google Gemini, through its OpenAI-compatible endpoint.</summary>
    public const string Gemini = "gemini";

    /// <summary>
    /// AWS Bedrock: Claude models through the Anthropic SDK's Bedrock client (SigV4 from the standard AWS environment
    /// variables), other models through Bedrock's OpenAI-compatible endpoint.
    /// </summary>
    public const string Bedrock = "bedrock";

    /// <summary>
    /// Voyage AI, the embeddings Anthropic recommends (<c>voyage-3</c>): embeddings only, so its connections need no chat
    /// <c>Model</c>, and an agent node that asks one for a chat model is refused before its run starts.
    /// </summary>
    public const string Voyage = "voyage";

    /// <summary>Every provider kind.</summary>
    public static IReadOnlyList<string> All { get; } = [OpenAi, Azure, Anthropic, Ollama, Gemini, Bedrock, Voyage];

    /// <summary>The provider kinds that serve embeddings (<c>Embeddings=&lt;model&gt;</c>).</summary>
    public static IReadOnlyList<string> WithEmbeddings { get; } = [OpenAi, Azure, Ollama, Gemini, Voyage];

    /// <summary>Voyage AI's API.</summary>
    public static Uri VoyageEndpoint { get; } = new("https://api.voyageai.com/");

    /// <summary>Google's OpenAI-compatible endpoint for Gemini.</summary>
    public static Uri GeminiEndpoint { get; } = new("https://generativelanguage.googleapis.com/v1beta/openai/");

    /// <summary>Ollama's default local address.</summary>
    public static Uri OllamaEndpoint { get; } = new("http://localhost:11434/");

    /// <summary>The Azure OpenAI API version used when a connection names none.</summary>
    public const string DefaultAzureApiVersion = "2024-10-21";

    internal static string ExampleModel(string provider) => provider switch
    {
        Anthropic => "claude-sonnet-4-5",
        Ollama => "llama3.2",
        Gemini => "gemini-2.5-flash",
        Bedrock => "anthropic.claude-sonnet-4-5-20250929-v1:0",
        Voyage => "voyage-3",
        _ => "gpt-4o-mini",
    };

    internal static string ExampleEmbeddings(string provider) => provider switch
    {
        Azure => "<embedding deployment>",
        Ollama => "nomic-embed-text",
        Gemini => "text-embedding-004",
        Voyage => "voyage-3",
        _ => "text-embedding-3-small",
    };

    // What each provider cannot do without; the message names the connection and the field.
    internal static void Require(LlmConnection connection, string where)
    {
        switch (connection.Provider)
        {
            case Azure when connection.Endpoint is null:
                throw new FormatException($"{where} (provider azure) has no Endpoint (for example Endpoint=https://<resource>.openai.azure.com)");
            case Azure when connection.Key is null && connection.Token is null:
                throw new FormatException($"{where} (provider azure) has neither Key (the api-key header) nor Token (a bearer token)");
            case Anthropic or Gemini or Voyage when connection.Key is null:
                throw new FormatException($"{where} (provider {connection.Provider}) has no Key");
            case Bedrock when connection.Region is null && Environment.GetEnvironmentVariable("AWS_REGION") is not { Length: > 0 }
                && Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION") is not { Length: > 0 }:
                throw new FormatException($"{where} (provider bedrock) has no Region, and AWS_REGION is not set");
        }

        if (connection.Embeddings is not null && !WithEmbeddings.Contains(connection.Provider))
        {
            throw new FormatException(
                $"{where} has Embeddings, but provider {connection.Provider} serves no embeddings: use a connection of provider " +
                $"{string.Join(", ", WithEmbeddings)} (Voyage AI's voyage-3 is the one Anthropic recommends)");
        }

        if (connection.Deployment is not null && connection.Provider != Azure)
        {
            throw new FormatException($"{where} has a Deployment, which only provider azure uses (provider is {connection.Provider})");
        }
    }
}
