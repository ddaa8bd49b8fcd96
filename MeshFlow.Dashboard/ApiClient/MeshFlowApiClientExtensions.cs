using MeshFlow.ServiceDefaults.Startup;
using Microsoft.Extensions.Http.Resilience;

namespace MeshFlow.Dashboard.ApiClient;

public static class MeshFlowApiClientExtensions
{
    /// <summary>The API's address, resolved by service discovery (<c>services:api:*</c>).</summary>
    public static readonly Uri ApiBaseAddress = new("https+http://api");

    /// <summary>The setting that points the dashboard at an API directly, bypassing service discovery.</summary>
    public const string ApiUrlKey = "MESHFLOW_API_URL";

    public static IHostApplicationBuilder AddMeshFlowApiClient(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        var baseAddress = ReadApiUrl(builder.Configuration);
        builder.Services.AddSingleton<IApiAvailability, ApiAvailability>();

        // A page render waits on this call: give up within seconds and show the real error, rather than
        // retrying for the default 30 s. The user's next reload is the retry. RemoveAllResilienceHandlers is
        // the way to replace the ServiceDefaults handler for one client; it is still marked experimental.
#pragma warning disable EXTEXP0001
        builder.Services.AddHttpClient<MeshFlowApiClient>(client => client.BaseAddress = baseAddress)
            .RemoveAllResilienceHandlers()
            .AddStandardResilienceHandler(Configure);
#pragma warning restore EXTEXP0001

        return builder;
    }

    /// <summary>The resilience of every API call.</summary>
    /// <remarks>
    /// Only safe methods are retried: a POST that outlives its attempt timeout may still have started a run, decided
    /// a pause or cancelled one, and a second attempt would do it again.
    /// </remarks>
    public static void Configure(HttpStandardResilienceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Retry.MaxRetryAttempts = 1;
        options.Retry.Delay = TimeSpan.FromMilliseconds(200);
        options.Retry.DisableForUnsafeHttpMethods();
        options.AttemptTimeout.Timeout = TimeSpan.FromSeconds(2);
        options.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(5);
    }

    /// <summary>The address in <see cref="ApiUrlKey"/>, or service discovery's when it is not set.</summary>
    /// <exception cref="MeshFlowConfigurationException">The setting is not an absolute http or https URL.</exception>
    public static Uri ReadApiUrl(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (configuration[ApiUrlKey] is not { Length: > 0 } configured)
        {
            return ApiBaseAddress;
        }

        return Uri.TryCreate(configured, UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
            ? url
            : throw new MeshFlowConfigurationException($"{ApiUrlKey} must be an absolute http or https URL, e.g. http://localhost:5080.");
    }
}
