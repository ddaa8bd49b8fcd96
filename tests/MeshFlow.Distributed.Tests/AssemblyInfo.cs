using MeshFlow.Testing.Postgres;

// One real Postgres server for the whole assembly; each test gets its own database on it.
[assembly: AssemblyFixture(typeof(PostgresFixture))]
