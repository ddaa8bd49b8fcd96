namespace MeshFlow.Api.Security;

/// <summary>What a tenant id may look like: letters, digits, <c>-</c>, <c>_</c> and <c>.</c>, at most 64 of them.</summary>
public static class TenantIds
{
    public const int MaxLength = 64;

    public static bool IsValid(string? tenantId) =>
        tenantId is { Length: > 0 and <= MaxLength } && tenantId.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');
}
