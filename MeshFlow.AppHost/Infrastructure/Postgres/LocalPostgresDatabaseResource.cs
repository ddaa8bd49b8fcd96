namespace MeshFlow.AppHost.Infrastructure.Postgres;

/// <summary>A database on a <see cref="LocalPostgresServerResource"/>, created when the server first accepts connections.</summary>
/// <remarks>Its connection string is the server's plus <c>;Database=...</c>, as <c>AddDatabase</c>'s is.</remarks>
public sealed class LocalPostgresDatabaseResource(string name, string databaseName, LocalPostgresServerResource parent)
    : Resource(name), IResourceWithParent<LocalPostgresServerResource>, IResourceWithConnectionString
{
    public string DatabaseName { get; } = databaseName;

    public LocalPostgresServerResource Parent { get; } = parent;

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create($"{Parent};Database={DatabaseName}");

    IEnumerable<KeyValuePair<string, ReferenceExpression>> IResourceWithConnectionString.GetConnectionProperties() =>
        Parent.ConnectionProperties(DatabaseName);
}
