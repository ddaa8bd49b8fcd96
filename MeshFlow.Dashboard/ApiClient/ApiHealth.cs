namespace MeshFlow.Dashboard.ApiClient;

/// <summary>The API's <c>GET /health</c> body, as this client reads it.</summary>
public sealed record ApiHealth(bool Ok, string Db, string Redis, string Version, double UptimeS);
