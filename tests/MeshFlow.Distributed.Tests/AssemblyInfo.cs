using MeshFlow.Testing.Postgres;
using MeshFlow.Testing.Redis;

// One real Postgres server for the whole assembly; each test gets its own database on it.
[assembly: AssemblyFixture(typeof(PostgresFixture))]

// One real Redis server for the whole assembly; each test keeps to keys of its own. Tests that kill or restart a
// server start their own.
[assembly: AssemblyFixture(typeof(RedisFixture))]
