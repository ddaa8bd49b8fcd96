using MeshFlow.Retrieval.Embeddings;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MeshFlow.Embeddings.MiniLM;

/// <summary>
/// Loads the local model in the background when the host starts, so no request waits for it; only when the host's
/// embedder is the local one. A load failure is logged with its fallback and the host keeps running: what needs
/// embeddings then fails with the same clear error.
/// </summary>
internal sealed partial class LocalEmbeddingWarmUp(IServiceProvider services, ILogger<LocalEmbeddingWarmUp> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (services.GetService<IEmbeddingGenerator<string, Embedding<float>>>()?.GetService<LocalEmbeddingGenerator>() is not { } local)
        {
            return;
        }

        // ExecuteAsync runs on the thread pool (.NET 10), so the host reports started while the model loads.
        try
        {
            var started = TimeProvider.System.GetTimestamp();
            await local.WarmUpAsync(stoppingToken).ConfigureAwait(false);
            var elapsed = TimeProvider.System.GetElapsedTime(started);
            LogLoaded(logger, LocalEmbeddingGenerator.ModelId, elapsed.TotalMilliseconds);
        }
        catch (EmbeddingModelUnavailableException ex)
        {
            LogUnavailable(logger, ex.Message);
        }
        catch (Exception) when (stoppingToken.IsCancellationRequested)
        {
            // The host stopped before the model loaded.
        }
        catch (Exception ex)
        {
            // A warm-up is an optimisation: whatever went wrong, the host stays up and the first real call reports it.
            LogWarmUpFailed(logger, LocalEmbeddingGenerator.ModelId, ex.GetType().Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Local embedding model {Model} loaded in {ElapsedMs:F0} ms")]
    private static partial void LogLoaded(ILogger logger, string model, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Local embedding model {Model} did not warm up ({Error}); the first call that needs it tries again")]
    private static partial void LogWarmUpFailed(ILogger logger, string model, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Reason}")]
    private static partial void LogUnavailable(ILogger logger, string reason);
}
