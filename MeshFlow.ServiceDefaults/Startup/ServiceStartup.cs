using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace MeshFlow.ServiceDefaults.Startup;

/// <summary>
/// Runs a service's start-up and turns a configuration mistake into one line on stderr
/// (<c>MeshFlow.Api cannot start: ...</c>) and exit code 1, instead of an unhandled exception and its stack trace.
/// </summary>
/// <remarks>
/// The full exception is printed too when <c>MESHFLOW_VERBOSE=true</c> or <c>Logging:LogLevel:Default</c> is
/// <c>Debug</c> or <c>Trace</c>. Only a <see cref="MeshFlowConfigurationException"/> is caught, and only when the
/// service is the process's own entry point: a host that runs the entry point inside its own process (a test's
/// <c>WebApplicationFactory</c>) gets the exception as it was thrown.
/// </remarks>
public static class ServiceStartup
{
    /// <summary>The setting that prints the whole exception of a failed start.</summary>
    public const string VerboseKey = "MESHFLOW_VERBOSE";

    /// <summary>The exit code of a start that failed on a setting.</summary>
    public const int ConfigurationExitCode = 1;

    /// <summary>Runs <paramref name="run"/>; 0 when it returns, <see cref="ConfigurationExitCode"/> when a setting stopped it.</summary>
    /// <param name="service">The service's name as the line starts with it, e.g. <c>MeshFlow.Api</c>.</param>
    /// <param name="args">The command line, read for the verbosity settings.</param>
    /// <param name="run">Builds and runs the service.</param>
    /// <param name="error">Where the line goes; stderr unless given.</param>
    public static async Task<int> RunAsync(string service, string[] args, Func<Task> run, TextWriter? error = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(service);
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(run);
        // The lambda belongs to the service's Program: when another assembly is the entry point, a host runs it in-process.
        var serviceAssembly = run.Method.DeclaringType?.Assembly;
        try
        {
            await run().ConfigureAwait(false);
            return 0;
        }
        catch (Exception exception) when (Find(exception) is { } problem && serviceAssembly == Assembly.GetEntryAssembly())
        {
            error ??= Console.Error;
            await error.WriteLineAsync(Describe(service, problem)).ConfigureAwait(false);
            if (IsVerbose(args))
            {
                await error.WriteLineAsync(exception.ToString()).ConfigureAwait(false);
            }

            await error.FlushAsync().ConfigureAwait(false);
            return ConfigurationExitCode;
        }
    }

    /// <summary>The one line that reports <paramref name="problem"/>: the service, and the message on a single line.</summary>
    public static string Describe(string service, MeshFlowConfigurationException problem)
    {
        ArgumentNullException.ThrowIfNull(problem);
        var message = string.Join(' ', problem.Message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return $"{service} cannot start: {message}";
    }

    /// <summary>The configuration problem in <paramref name="exception"/> or among the exceptions it wraps, if any.</summary>
    public static MeshFlowConfigurationException? Find(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var pending = new Stack<Exception>([exception]);
        while (pending.TryPop(out var current))
        {
            if (current is MeshFlowConfigurationException problem)
            {
                return problem;
            }

            if (current is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions)
                {
                    pending.Push(inner);
                }
            }
            else if (current.InnerException is { } inner)
            {
                pending.Push(inner);
            }
        }

        return null;
    }

    private static bool IsVerbose(string[] args)
    {
        var configuration = new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args).Build();
        return string.Equals(configuration[VerboseKey], "true", StringComparison.OrdinalIgnoreCase)
            || configuration["Logging:LogLevel:Default"] is { } level
               && (level.Equals("Debug", StringComparison.OrdinalIgnoreCase) || level.Equals("Trace", StringComparison.OrdinalIgnoreCase));
    }
}
