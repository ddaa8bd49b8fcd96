namespace MeshFlow.ServiceDefaults.Health;

/// <summary>
/// The body of <c>GET /health</c>. Serialized snake_case: <c>{"ok", "db", "redis", "version", "uptime_s"}</c>.
/// </summary>
/// <param name="Ok">True when the service's health checks pass.</param>
/// <param name="Db">The ledger store: <c>embedded</c> (SQLite) or <c>configured</c>.</param>
/// <param name="Redis">The queue and event bus: <c>in-process</c> or <c>configured</c>.</param>
/// <param name="Version">The service's assembly informational version.</param>
/// <param name="UptimeS">Seconds since the service started.</param>
public sealed record ServiceHealthResponse(bool Ok, string Db, string Redis, string Version, double UptimeS);
