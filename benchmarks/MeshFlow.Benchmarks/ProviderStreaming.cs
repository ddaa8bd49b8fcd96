using System.Diagnostics;
using System.Globalization;
using MeshFlow.Agents;
using MeshFlow.Events;
using MeshFlow.Execution;
using MeshFlow.Governance;
using MeshFlow.Runs;
using MeshFlow.Testing.Providers;
using MeshFlow.Workflows;

namespace MeshFlow.Benchmarks;

/// <summary>
/// One agent step streaming through the engine from a local fake of each provider at zero latency: the OpenAI path
/// (OpenAI-compatible server-sent events, through the OpenAI provider), Anthropic's Messages API (through the Anthropic
/// SDK) and Ollama's NDJSON (through OllamaSharp). Rounds interleave the three so the machine's noise falls on all of
/// them alike; prints the medians of tokens per second and of the time to the first token, and each beside the
/// OpenAI path's.
/// </summary>
internal static class ProviderStreaming
{
    private const int Tokens = 2_000;
    private const int Rounds = 15;
    private const int WarmupRounds = 3;

    public static async Task RunAsync()
    {
        const string key = "sk-bench-0000";
        await using var openai = await new FakeGeminiServer { ExpectedKey = key, Models = ["gpt-4o-mini"], Deltas = Enumerable.Repeat(" tok", Tokens).ToArray() }.StartAsync();
        await using var anthropic = await FakeAnthropicServer.StartAsync(key, captureRequests: false);
        anthropic.DefaultTurn = AnthropicTurn.Text(Tokens, " tok");
        await using var ollama = await new FakeOllamaServer { Deltas = Enumerable.Repeat(" tok", Tokens).ToArray(), CaptureRequests = false }.StartAsync();

        var options = new MeshFlowEngineOptions();
        options.Providers.Connections["openai"] = LlmConnection.Parse($"Provider=openai;Endpoint={openai.Endpoint};Key={key};Model=gpt-4o-mini", "openai");
        options.Providers.Connections["anthropic"] = LlmConnection.Parse($"Provider=anthropic;Endpoint={anthropic.BaseAddress};Key={key};Model=claude-sonnet-4-5", "anthropic");
        options.Providers.Connections["ollama"] = LlmConnection.Parse($"Provider=ollama;Endpoint={ollama.BaseAddress};Model=llama3.2", "ollama");
        var engine = new MeshFlowEngine(options);
        string[] paths = ["openai", "anthropic", "ollama"];
        var workflows = paths.ToDictionary(p => p, p => new WorkflowBuilder("bench-" + p).AddNode(new AgentNode("writer") { Provider = p, Instructions = "Write." })
            // No budgets: the Gemini-shaped fake behind the OpenAI path repeats its running usage in every chunk.
            .WithPolicy(new Policy()).Build());
        var rate = paths.ToDictionary(p => p, _ => new List<double>());
        var firstToken = paths.ToDictionary(p => p, _ => new List<double>());
        Console.WriteLine($"one agent step of {Tokens:N0} streamed tokens per run, through the engine; {Rounds} interleaved rounds after {WarmupRounds} warm-up");

        for (var round = 0; round < WarmupRounds + Rounds; round++)
        {
            foreach (var path in paths)
            {
                var (tokensPerSecond, ttftMs) = await MeasureAsync(engine, workflows[path]);
                if (round >= WarmupRounds)
                {
                    rate[path].Add(tokensPerSecond);
                    firstToken[path].Add(ttftMs);
                }
            }
        }

        var openAiRate = Median(rate["openai"]);
        var openAiFirst = Median(firstToken["openai"]);
        foreach (var path in paths)
        {
            var tokens = Median(rate[path]);
            var first = Median(firstToken[path]);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{path,-10} median {tokens,9:N0} tokens/s ({openAiRate / tokens:F2}x the OpenAI path's time per token), time to first token {first,6:F2} ms ({first / openAiFirst:F2}x)"));
        }
    }

    private static async Task<(double TokensPerSecond, double FirstTokenMs)> MeasureAsync(MeshFlowEngine engine, Workflow workflow)
    {
        var started = Stopwatch.GetTimestamp();
        var run = engine.Start(workflow, "bench", new RunOptions { CaptureEvents = true });
        var first = 0.0;
        var deltas = 0;
        await foreach (var item in run.Events)
        {
            if (item is TokenDeltaEvent && deltas++ == 0)
            {
                first = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            }
        }

        var result = await run.Completion;
        var elapsed = Stopwatch.GetElapsedTime(started).TotalSeconds;
        if (result.Status != RunStatus.Completed)
        {
            throw new InvalidOperationException($"the benchmark run ended {result.Status}: {result.Error?.Message}");
        }

        return (Tokens / elapsed, first);
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
