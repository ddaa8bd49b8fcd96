namespace MeshFlow.Dashboard.ApiClient;

/// <summary>Who an API key is: its tenant and role, or null where the API did not say.</summary>
public sealed record SignedInIdentity(string? Tenant, string? Role);
