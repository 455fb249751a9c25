using Npgsql;
using SagaDemo.Persistence.Schema;
using Xunit;

namespace SagaDemo.Testing;

/// <summary>A database of its own per test class (created on first use), migrated with every service schema.</summary>
/// <remarks>
/// The classes share one server per test assembly: xUnit 2 looks for collection definitions in the test assembly only,
/// so each assembly using this base declares <c>[CollectionDefinition(PostgresTestBase.Collection)]</c> with a
/// <see cref="PostgresServerFixture"/>.
/// </remarks>
[Collection(Collection)]
public abstract class PostgresTestBase(PostgresServerFixture fixture) : IAsyncLifetime
{
    public const string Collection = "postgres";

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
