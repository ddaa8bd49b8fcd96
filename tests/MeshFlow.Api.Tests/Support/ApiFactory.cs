using MeshFlow.Api.Security;
using MeshFlow.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace MeshFlow.Api.Tests.Support;

/// <summary>
/// The API on a test server with known API keys and a data folder of its own (deleted on dispose).
/// </summary>
/// <remarks>
/// Use it as a class fixture (<c>IClassFixture&lt;ApiFactory&gt;</c>) and call
/// <c>factory.CreateAuthenticatedClient(ApiFactory.AcmeUserKey)</c>. Tenants: <see cref="AcmeTenant"/> has an admin
/// and a user key, <see cref="GlobexTenant"/> a user key. To change settings: <see cref="WithSettings"/> for one test,
/// <see cref="Create"/> for a factory (and data folder) of one's own, or a subclass that passes overrides to the
/// protected constructor to be a fixture. A value of <c>""</c> unsets a setting, e.g.
/// <c>[ApiSecurityConfiguration.ApiKeys] = ""</c> for an API with no keys.
/// </remarks>
public class ApiFactory : WebApplicationFactory<Program>
{
    public const string AcmeTenant = "acme";

    public const string GlobexTenant = "globex";

    public const string AcmeAdminKey = "test-acme-admin-key";

    public const string AcmeUserKey = "test-acme-user-key";

    public const string GlobexUserKey = "test-globex-user-key";

    /// <summary>The <c>MESHFLOW_API_KEYS</c> value every factory starts from.</summary>
    public const string ApiKeys =
        $"{AcmeAdminKey}:{AcmeTenant}:admin,{AcmeUserKey}:{AcmeTenant},{GlobexUserKey}:{GlobexTenant}:user";

    private readonly Dictionary<string, string?> _settings;

    public ApiFactory()
        : this(new Dictionary<string, string?>())
    {
    }

    /// <summary>For a subclass that is a fixture with settings of its own.</summary>
    protected ApiFactory(IReadOnlyDictionary<string, string?> overrides)
    {
        ArgumentNullException.ThrowIfNull(overrides);
        DataDirectory = Directory.CreateTempSubdirectory("meshflow-api-tests-").FullName;
        _settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            [ApiSecurityConfiguration.ApiKeys] = ApiKeys,
            [MeshFlowLedgerServiceCollectionExtensions.DataDirectoryKey] = DataDirectory,
        };
        foreach (var (key, value) in overrides)
        {
            _settings[key] = value;
        }
    }

    /// <summary>A factory (own data folder) with these settings changed; the caller disposes it.</summary>
    public static ApiFactory Create(IReadOnlyDictionary<string, string?> overrides) => new(overrides);

    /// <summary>This factory's own <c>MESHFLOW_DATA_DIR</c>.</summary>
    public string DataDirectory { get; }

    public IReadOnlyDictionary<string, string?> Settings => _settings;

    /// <summary>Another instance of the API, with these settings changed and everything else (data folder too) as here.</summary>
    public WebApplicationFactory<Program> WithSettings(IReadOnlyDictionary<string, string?> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return WithWebHostBuilder(host =>
        {
            foreach (var (key, value) in settings)
            {
                host.UseSetting(key, value);
            }
        });
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is not worth failing a test for.
        }

        GC.SuppressFinalize(this);
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }
    }
}
