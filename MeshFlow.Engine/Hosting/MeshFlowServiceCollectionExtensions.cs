using System.Diagnostics;
using MeshFlow.Execution;
using MeshFlow.Governance;
using MeshFlow.Governance.Risk;
using MeshFlow.Ledger;
using MeshFlow.Observability;
using MeshFlow.Observability.Metrics;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.VectorData;
using OpenTelemetry;

namespace MeshFlow.Hosting;

/// <summary>Registers the engine in a host's services.</summary>
public static class MeshFlowServiceCollectionExtensions
{
    /// <summary>The configuration key of the folder tools may write in; writes elsewhere rate <c>high</c>.</summary>
    public const string WorkspaceDirectoryKey = "MESHFLOW_WORKSPACE_DIR";

    /// <summary>The configuration key of the API's public base URL, from which approval links are made.</summary>
    public const string PublicUrlKey = "MESHFLOW_PUBLIC_URL";

    /// <summary>The configuration key of the hosts tools may reach (comma-separated; subdomains included); others rate <c>high</c>.</summary>
    public const string AllowedHostsKey = "MESHFLOW_ALLOWED_HOSTS";

    /// <summary>
    /// Adds a singleton <see cref="MeshFlowEngine"/>. The LLM connections come from <c>ConnectionStrings:llm</c> and
    /// every <c>ConnectionStrings:llm-&lt;name&gt;</c>, prices over the built-in table from <c>MESHFLOW_PRICES_FILE</c>; the risk rules' scratch folder and allowed hosts from <c>MESHFLOW_WORKSPACE_DIR</c> and
    /// <c>MESHFLOW_ALLOWED_HOSTS</c>; every registered <see cref="IStepCheck"/> joins the step pipeline after the
    /// built-in checks (<see cref="MeshFlowEngineOptions.Checks"/>), every registered <see cref="AIFunction"/> becomes
    /// a named tool, the registered <see cref="IEmbeddingGenerator{TInput, TEmbedding}"/> of strings embeds memory and
    /// knowledge (<see cref="MeshFlowEngineOptions.Embeddings"/>), runs are written through the <see cref="AuditLedger"/> when one is registered
    /// (<c>AddMeshFlowLedger</c>), and vectors kept in the registered <see cref="VectorStore"/> (else in memory).
    /// </summary>
    /// <exception cref="FormatException">At resolution, when an LLM connection string or the price file is malformed.</exception>
    public static IServiceCollection AddMeshFlowEngine(this IServiceCollection services, Action<MeshFlowEngineOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddMeshFlowMetrics();
        services.TryAddSingleton(provider =>
        {
            var options = new MeshFlowEngineOptions { TimeProvider = provider.GetService<TimeProvider>() ?? TimeProvider.System };
            LlmConfiguration.Apply(provider.GetService<IConfiguration>(), options);
            BuiltInToolConfiguration.Apply(provider.GetService<IConfiguration>(), options.BuiltInTools);
            options.Providers.LoggerFactory = provider.GetService<ILoggerFactory>();

            foreach (var secret in ConfiguredSecrets.From(provider.GetService<IConfiguration>()))
            {
                options.Secrets.Add(secret);
            }

            options.Ledger = provider.GetService<AuditLedger>();
            options.Vectors = provider.GetService<VectorStore>();
            options.Metrics = provider.GetService<IMeshFlowMetrics>();
            options.Embeddings = provider.GetService<IEmbeddingGenerator<string, Embedding<float>>>();
            options.PublicUrl = provider.GetService<IConfiguration>()?[PublicUrlKey] is { Length: > 0 } publicUrl ? publicUrl : null;
            if (RiskRulesFrom(provider.GetService<IConfiguration>()) is { } rules)
            {
                options.Checks[options.Checks.IndexOf(RiskCheck.Instance)] = new RiskCheck(rules);
            }

            foreach (var check in provider.GetServices<IStepCheck>())
            {
                options.Checks.Add(check);
            }

            foreach (var tool in provider.GetServices<AIFunction>())
            {
                options.Tools.Add(tool);
            }

            options.Providers.TraceContent = TraceContentSetting.Read(provider.GetService<IConfiguration>());
            configure?.Invoke(options);
            return new MeshFlowEngine(options);
        });

        // Registered as a span processor, which the service defaults run ahead of the exporters, with content capture
        // on or off: content recorded under MESHFLOW_TRACE_CONTENT is cleaned with the engine's secrets, and a failed
        // span's exception message (which a provider's error can fill with the prompt) never leaves the process as it is.
        // The setting is read from the configuration: content turned on only by `configure` is treated as off, which
        // replaces error texts rather than cleaning them.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<BaseProcessor<Activity>, TraceContentScrubber>(provider =>
            new TraceContentScrubber(() => provider.GetRequiredService<MeshFlowEngine>().Secrets,
                TraceContentSetting.Read(provider.GetService<IConfiguration>()))));
        return services;
    }

    private static RiskRuleOptions? RiskRulesFrom(IConfiguration? configuration)
    {
        var workspace = configuration?[WorkspaceDirectoryKey];
        var hosts = configuration?[AllowedHostsKey];
        if (string.IsNullOrWhiteSpace(workspace) && string.IsNullOrWhiteSpace(hosts))
        {
            return null;
        }

        return RiskRuleOptions.Default with
        {
            ScratchFolder = string.IsNullOrWhiteSpace(workspace) ? null : Path.GetFullPath(workspace),
            AllowedHosts = hosts?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [],
        };
    }
}
