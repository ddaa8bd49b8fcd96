namespace MeshFlow.Dashboard.ApiClient;

public static class MeshFlowApiClientExtensions
{
    /// <summary>The API's address, resolved by service discovery (<c>services:api:*</c>).</summary>
    public static readonly Uri ApiBaseAddress = new("https+http://api");

    public static IHostApplicationBuilder AddMeshFlowApiClient(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        // A page render waits on this call: give up within seconds and show the real error, rather than
        // retrying for the default 30 s. The user's next reload is the retry. RemoveAllResilienceHandlers is
        // the way to replace the ServiceDefaults handler for one client; it is still marked experimental.
#pragma warning disable EXTEXP0001
        builder.Services.AddHttpClient<MeshFlowApiClient>(client => client.BaseAddress = ApiBaseAddress)
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
