namespace MeshFlow.Dashboard.Session;

/// <summary>
/// The claims of a signed-in dashboard user. The key lives only in the data-protected cookie ticket and in server
/// memory; nothing renders it.
/// </summary>
public static class DashboardClaims
{
    public const string ApiKey = "meshflow:api_key";

    public const string Tenant = "meshflow:tenant";

    public const string Role = "meshflow:role";
}
