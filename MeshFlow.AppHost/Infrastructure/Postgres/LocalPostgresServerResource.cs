using System.Security.Cryptography;
using System.Text;
using MeshFlow.LocalServers;

namespace MeshFlow.AppHost.Infrastructure.Postgres;

/// <summary>
/// A PostgreSQL server run from the machine's binaries as an executable resource: data in
/// <see cref="DataDirectory"/> (initdb'd on first use), listening on 127.0.0.1 on a port Aspire allocates, password
/// authentication for <see cref="UserName"/> with a password generated once and kept next to the data.
/// </summary>
/// <remarks>Its connection string has the shape of <c>AddPostgres</c>'s: <c>Host=...;Port=...;Username=postgres;Password=...</c>.</remarks>
public sealed class LocalPostgresServerResource : ExecutableResource, IResourceWithConnectionString
{
    public const string PrimaryEndpointName = "tcp";
    public const string UserName = "postgres";

    private readonly Dictionary<string, string> _databases = new(StringComparer.OrdinalIgnoreCase);

    /// <param name="name">The resource name.</param>
    /// <param name="toolchain">The server binaries.</param>
    /// <param name="rootDirectory">This server's folder: data, password; owned by the server's user.</param>
    public LocalPostgresServerResource(string name, PostgresToolchain toolchain, string rootDirectory)
        : base(name, toolchain.Command("postgres", []).Command, rootDirectory)
    {
        ArgumentNullException.ThrowIfNull(toolchain);

        Toolchain = toolchain;
        RootDirectory = rootDirectory;
        DataDirectory = Path.Combine(rootDirectory, "data");
        SocketDirectory = ChooseSocketDirectory(toolchain, DataDirectory);
        Password = new LocalSecret($"{name}-password", Path.Combine(rootDirectory, "password"), RefuseNewPasswordForExistingData);
        PrimaryEndpoint = new EndpointReference(this, PrimaryEndpointName);
    }

    public PostgresToolchain Toolchain { get; }

    public string RootDirectory { get; }

    public string DataDirectory { get; }

    /// <summary>Where the server puts its Unix socket: a short, writable temp folder (sun_path is 107 bytes).</summary>
    public string SocketDirectory { get; }

    public LocalSecret Password { get; }

    public EndpointReference PrimaryEndpoint { get; }

    /// <summary>Database resource names and the databases they stand for.</summary>
    public IReadOnlyDictionary<string, string> Databases => _databases;

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Host={PrimaryEndpoint.Property(EndpointProperty.Host)};Port={PrimaryEndpoint.Property(EndpointProperty.Port)};Username={UserName};Password={Password}");

    IEnumerable<KeyValuePair<string, ReferenceExpression>> IResourceWithConnectionString.GetConnectionProperties() =>
        ConnectionProperties(database: null);

    /// <summary>The <c>{NAME}_HOST</c>, <c>_PORT</c>, ... values a reference hands out next to the connection string, as <c>AddPostgres</c>'s do.</summary>
    internal IEnumerable<KeyValuePair<string, ReferenceExpression>> ConnectionProperties(string? database)
    {
        var host = PrimaryEndpoint.Property(EndpointProperty.Host);
        var port = PrimaryEndpoint.Property(EndpointProperty.Port);
        yield return new("Host", ReferenceExpression.Create($"{host}"));
        yield return new("Port", ReferenceExpression.Create($"{port}"));
        yield return new("Username", ReferenceExpression.Create($"{UserName}"));
        yield return new("Password", ReferenceExpression.Create($"{Password}"));

        // The password is letters and digits only, so it needs no escaping in a URI.
        yield return new("Uri", database is null
            ? ReferenceExpression.Create($"postgresql://{UserName}:{Password}@{host}:{port}")
            : ReferenceExpression.Create($"postgresql://{UserName}:{Password}@{host}:{port}/{database}"));
        if (database is not null)
        {
            yield return new("DatabaseName", ReferenceExpression.Create($"{database}"));
        }
    }

    internal void AddDatabase(string resourceName, string databaseName) => _databases.TryAdd(resourceName, databaseName);

    private void RefuseNewPasswordForExistingData()
    {
        // Whoever asks first (the connection string, the pre-start step) must not paper over a lost password.
        if (File.Exists(Path.Combine(DataDirectory, "PG_VERSION")))
        {
            throw new DistributedApplicationException(
                $"The PostgreSQL data folder {DataDirectory} exists but its password file {Password.Path} is gone, " +
                $"so no connection string can log in. Delete {RootDirectory} to start over with an empty ledger.");
        }
    }

    private static string ChooseSocketDirectory(PostgresToolchain toolchain, string dataDirectory)
    {
        // As root, the postgres user must be able to reach it: /tmp always is; a root-only TMPDIR may not be.
        var temp = toolchain.RunsAsServiceUser && Directory.Exists("/tmp") ? "/tmp" : Path.GetTempPath();
        var id = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(dataDirectory)))[..12];
        return Path.Combine(temp, "meshflow-apphost-pg-" + id);
    }
}
