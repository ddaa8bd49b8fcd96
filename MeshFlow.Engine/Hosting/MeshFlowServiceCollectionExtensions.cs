using MeshFlow.Agents;
using MeshFlow.Execution;
using MeshFlow.Governance;
using MeshFlow.Ledger;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MeshFlow.Hosting;

/// <summary>Registers the engine in a host's services.</summary>
public static class MeshFlowServiceCollectionExtensions
{
    /// <summary>
    /// Adds a singleton <see cref="MeshFlowEngine"/>. The LLM connection comes from <c>ConnectionStrings:llm</c>
    /// when configured; every registered <see cref="IStepCheck"/> joins the step pipeline after the built-in
    /// checks (<see cref="MeshFlowEngineOptions.Checks"/>), every registered <see cref="AIFunction"/> becomes a named tool, and runs are written through the
    /// <see cref="AuditLedger"/> when one is registered (<c>AddMeshFlowLedger</c>).
    /// </summary>
    /// <exception cref="FormatException">At resolution, when <c>ConnectionStrings:llm</c> is malformed.</exception>
    public static IServiceCollection AddMeshFlowEngine(this IServiceCollection services, Action<MeshFlowEngineOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(provider =>
        {
            var options = new MeshFlowEngineOptions { TimeProvider = provider.GetService<TimeProvider>() ?? TimeProvider.System };
            if (provider.GetService<IConfiguration>()?.GetConnectionString("llm") is { Length: > 0 } llm)
            {
                options.Llm = LlmConnection.Parse(llm);
            }

            options.Ledger = provider.GetService<AuditLedger>();
            foreach (var check in provider.GetServices<IStepCheck>())
            {
                options.Checks.Add(check);
            }

            foreach (var tool in provider.GetServices<AIFunction>())
            {
                options.Tools.Add(tool);
            }

            configure?.Invoke(options);
            return new MeshFlowEngine(options);
        });
        return services;
    }
}
