using SagaDemo.Testing;
using Npgsql;
using SagaDemo.Persistence.Schema;

namespace SagaDemo.Persistence.Tests;

/// <summary>A database of its own per test class (created on first use), migrated with every service schema.</summary>
[Collection(PostgresCollection.Name)]
public abstract class PostgresTestBase(PostgresServerFixture fixture) : IAsyncLifetime
{
    protected PostgresServerFixture Fixture { get; } = fixture;
    protected string ConnectionString { get; private set; } = "";
    protected NpgsqlDataSource DataSource { get; private set; } = null!;

    public virtual async Task InitializeAsync()
    {
        ConnectionString = await Fixture.Server.CreateDatabaseAsync(GetType().Name.ToLowerInvariant());
        DataSource = NpgsqlDataSource.Create(ConnectionString);
        await new SchemaMigrator(DataSource).MigrateAsync(SagaDemoSchemas.All);
    }

    public virtual async Task DisposeAsync() => await DataSource.DisposeAsync();

    protected async Task<T> ScalarAsync<T>(string sql, params object[] parameters)
    {
        await using var command = DataSource.CreateCommand(sql);
        foreach (var value in parameters)
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        return (T)(await command.ExecuteScalarAsync())!;
    }
}
