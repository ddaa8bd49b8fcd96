using MeshFlow.Approvals;
using MeshFlow.Approvals.Webhooks;

namespace MeshFlow.Api.Approvals;

/// <summary>
/// Checks a policy's approval webhooks when a request names them: each must be an http(s) URL whose host resolves to
/// an address the rules allow, and the tenant must have a signing secret (MeshFlow never sends an unsigned notification).
/// </summary>
public sealed class HitlDestinations(WebhookAddressRules rules, WebhookSecrets secrets)
{
    /// <summary>The first problem with <paramref name="hitl"/>'s destinations, naming the field under <paramref name="prefix"/>; null when none.</summary>
    public async Task<(string Field, string Problem)?> CheckAsync(HitlPolicy hitl, string tenantId, string prefix, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(hitl);
        foreach (var (name, url) in new[] { ("webhook_url", hitl.WebhookUrl), ("escalate_to", hitl.EscalateTo) })
        {
            if (url is null)
            {
                continue;
            }

            if (secrets.For(tenantId).Count == 0)
            {
                return ($"{prefix}hitl.{name}",
                    $"no webhook signing secret is configured for tenant '{tenantId}' (MESHFLOW_WEBHOOK_SECRETS or MESHFLOW_WEBHOOK_SECRETS_FILE); " +
                    "notifications are always signed, so a webhook needs one");
            }

            if (await rules.CheckUrlAsync(url, cancellationToken) is { } problem)
            {
                return ($"{prefix}hitl.{name}", $"'{name}' cannot be used: {problem}");
            }
        }

        return null;
    }
}
