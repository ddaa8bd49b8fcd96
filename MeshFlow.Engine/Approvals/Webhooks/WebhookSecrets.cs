using Microsoft.Extensions.Configuration;

namespace MeshFlow.Approvals.Webhooks;

/// <summary>The webhook signing secrets of each tenant.</summary>
/// <remarks>
/// <para>Configured as <c>tenant=whsec_…</c> entries: comma-separated in <see cref="SecretsKey"/>, and/or one per line
/// in the file named by <see cref="SecretsFileKey"/> (blank lines and <c>#</c> comments are skipped). A tenant listed
/// more than once has all those secrets in force, in the order given: that is how a secret is rotated (add the new
/// one, let receivers switch, remove the old one).</para>
/// <para>A malformed entry fails the whole load with an error naming the entry or line and what is wrong with it,
/// never the secret itself.</para>
/// </remarks>
public sealed class WebhookSecrets
{
    /// <summary>Configuration key of the comma-separated <c>tenant=whsec_…</c> entries.</summary>
    public const string SecretsKey = "MESHFLOW_WEBHOOK_SECRETS";

    /// <summary>Configuration key of the path of a file with one <c>tenant=whsec_…</c> entry per line.</summary>
    public const string SecretsFileKey = "MESHFLOW_WEBHOOK_SECRETS_FILE";

    private readonly Dictionary<string, List<WebhookSecret>> _byTenant;

    private WebhookSecrets(Dictionary<string, List<WebhookSecret>> byTenant) => _byTenant = byTenant;

    /// <summary>No secrets: every message is refused as <see cref="WebhookOutcomes.NoSecret"/>.</summary>
    public static WebhookSecrets Empty { get; } = new([]);

    /// <summary>The tenants that have at least one secret.</summary>
    public IReadOnlyCollection<string> Tenants => _byTenant.Keys;

    /// <summary>The tenant's secrets in force (several while one is rotated); empty when it has none.</summary>
    public IReadOnlyList<WebhookSecret> For(string tenantId) =>
        _byTenant.TryGetValue(tenantId, out var secrets) ? secrets : [];

    /// <summary>Parses comma-separated entries and the text of a secrets file; either may be null.</summary>
    /// <exception cref="FormatException">An entry or line is malformed.</exception>
    public static WebhookSecrets Parse(string? entries, string? fileText = null)
    {
        var byTenant = new Dictionary<string, List<WebhookSecret>>(StringComparer.Ordinal);
        if (entries is not null)
        {
            var position = 0;
            foreach (var entry in entries.Split(','))
            {
                position++;
                // A trailing or doubled comma is a slip, not a secret: skip the empty entry.
                if (entry.Trim().Length > 0)
                {
                    Add(byTenant, entry, $"{SecretsKey} entry {position}");
                }
            }
        }

        if (fileText is not null)
        {
            var line = 0;
            foreach (var text in fileText.Split('\n'))
            {
                line++;
                var trimmed = text.Trim();
                if (trimmed.Length > 0 && !trimmed.StartsWith('#'))
                {
                    Add(byTenant, trimmed, $"{SecretsFileKey} line {line}");
                }
            }
        }

        return new WebhookSecrets(byTenant);
    }

    /// <summary>Loads <see cref="SecretsKey"/> and the file named by <see cref="SecretsFileKey"/>.</summary>
    /// <exception cref="FormatException">An entry or line is malformed.</exception>
    /// <exception cref="InvalidOperationException">The secrets file cannot be read.</exception>
    public static WebhookSecrets Load(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        string? fileText = null;
        if (configuration[SecretsFileKey] is { Length: > 0 } path)
        {
            try
            {
                fileText = File.ReadAllText(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new InvalidOperationException($"{SecretsFileKey} names '{path}', which cannot be read: {ex.Message}", ex);
            }
        }

        return Parse(configuration[SecretsKey], fileText);
    }

    private static void Add(Dictionary<string, List<WebhookSecret>> byTenant, string entry, string where)
    {
        var equals = entry.IndexOf('=', StringComparison.Ordinal);
        if (equals < 0)
        {
            throw new FormatException($"{where}: expected 'tenant=whsec_…' but there is no '='");
        }

        var tenant = entry[..equals].Trim();
        if (tenant.Length == 0)
        {
            throw new FormatException($"{where}: the tenant before '=' is empty");
        }

        // A bare secret's base64 padding looks like 'tenant=': say so without repeating what came before the '='.
        if (tenant.StartsWith(WebhookSecret.Prefix, StringComparison.Ordinal))
        {
            throw new FormatException($"{where}: the entry starts with a secret; expected 'tenant=whsec_…'");
        }

        if (!WebhookSecret.TryParse(entry[(equals + 1)..], out var secret, out var problem))
        {
            throw new FormatException($"{where} (tenant '{tenant}'): {problem}");
        }

        if (!byTenant.TryGetValue(tenant, out var secrets))
        {
            byTenant[tenant] = secrets = [];
        }

        // The same secret listed twice (in the variable and the file) would only add a duplicate signature.
        if (!secrets.Any(known => known.SameKeyAs(secret)))
        {
            secrets.Add(secret);
        }
    }
}
