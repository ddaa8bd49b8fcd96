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

        var baseAddress = builder.Configuration[ApiUrlKey] is { Length: > 0 } configured
            ? new Uri(configured, UriKind.Absolute)
            : ApiBaseAddress;
        builder.Services.AddSingleton<IApiAvailability, ApiAvailability>();

        // A page render waits on this call: give up within seconds and show the real error, rather than
        // retrying for the default 30 s. The user's next reload is the retry. RemoveAllResilienceHandlers is
        // the way to replace the ServiceDefaults handler for one client; it is still marked experimental.
#pragma warning disable EXTEXP0001
        builder.Services.AddHttpClient<MeshFlowApiClient>(client => client.BaseAddress = baseAddress)
            .RemoveAllResilienceHandlers()
            .AddStandardResilienceHandler(options =>
            {
                options.Retry.MaxRetryAttempts = 1;
                options.Retry.Delay = TimeSpan.FromMilliseconds(200);
                options.AttemptTimeout.Timeout = TimeSpan.FromSeconds(2);
                options.TotalRequestTimeout.Timeout = TimeSpan.FromSeconds(5);
            });
#pragma warning restore EXTEXP0001

        return builder;
    }
}
