using MeshFlow.Cli.Tests.Support;

namespace MeshFlow.Cli.Tests;

/// <summary>The CLI's embedded mode reads MESHFLOW_EMBEDDINGS as the servers do.</summary>
public sealed class EmbeddingSettingTests
{
    [Fact]
    public async Task A_wrong_embeddings_setting_fails_the_run_with_one_line_naming_it()
    {
        using var folder = new TempDirectory();

        var result = await MeshFlowCli.RunAsync(["run", TestWorkflows.Example("review.yaml"), "--input", "x", "--data-dir", folder.File("data")], folder.Path,
            new Dictionary<string, string?> { ["MESHFLOW_EMBEDDINGS"] = "openai", ["ConnectionStrings__llm-openai"] = "Provider=openai;Key=sk-cli-secret-0042;Model=gpt-4o-mini" },
            cancellationToken: TestContext.Current.CancellationToken);

        CliAssert.FailsWithOneLine(result, 1, "MESHFLOW_EMBEDDINGS names the LLM connection 'llm-openai', which has no Embeddings=<model>");
        Assert.DoesNotContain("sk-cli-secret-0042", result.ToString(), StringComparison.Ordinal);
    }
}
