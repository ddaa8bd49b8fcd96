using System.Text.Json;

namespace MeshFlow.LoadTest;

/// <summary>The workflows the load runs, as the request bodies of <c>POST /runs</c> and <c>POST /stream</c>.</summary>
internal static class LoadWorkflows
{
    /// <summary>The input every run gets: with the short instructions below, each offline step streams about 30 tokens.</summary>
    public const string Input = "Clause 7: either party may end this agreement on thirty days notice.";

    /// <summary>The steps of <see cref="Chain"/>.</summary>
    public const int ChainSteps = 3;

    /// <summary>Three agent steps, a→b→c, each on <paramref name="model"/>.</summary>
    public static string Chain(string model) => $"""
        name: load-chain
        nodes:
          - id: a
            model: {model}
            instructions: Summarise the clause.
          - id: b
            model: {model}
            instructions: Check the summary.
          - id: c
            model: {model}
            instructions: Answer the client.
        edges:
          - from: a
            to: b
          - from: b
            to: c
        """;

    /// <summary>One agent step on <paramref name="model"/> (a slow one keeps the run in flight).</summary>
    public static string Single(string model) => $"""
        name: load-hold
        nodes:
          - id: a
            model: {model}
            instructions: Take your time.
        """;

    /// <summary>The JSON body that starts <paramref name="yaml"/> on <see cref="Input"/>.</summary>
    public static byte[] Body(string yaml) => JsonSerializer.SerializeToUtf8Bytes(new { yaml, input = Input });
}
