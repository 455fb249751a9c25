using SagaDemo.Testing;
using Npgsql;
using SagaDemo.Persistence.Schema;

namespace SagaDemo.Persistence.Tests.Stores;

/// <summary>
/// Gives each store under test a schema of its own in one shared database, so contract tests that
/// expect an empty store (or a catalog of their own) stay independent without a database each.
/// </summary>
public sealed class FreshSchemas(PostgresServerFixture fixture) : IAsyncDisposable
{
    NpgsqlDataSource? _dataSource;

    public Task<(NpgsqlDataSource DataSource, string Schema)> CreateAsync(string prefix, Func<string, Migration> ownTables) =>
        CreateAsync(prefix, schema => [ownTables(schema)]);

    public async Task<(NpgsqlDataSource DataSource, string Schema)> CreateAsync(string prefix,
        Func<string, Migration[]> ownTables)
    {
        _dataSource ??= NpgsqlDataSource.Create(await fixture.Server.CreateDatabaseAsync("store_contracts"));
        var schema = $"{prefix}_{Guid.NewGuid():N}"[..Math.Min(40, prefix.Length + 33)];
        await new SchemaMigrator(_dataSource).MigrateAsync(SagaDemoSchemas.ForService(schema).With(ownTables(schema)));
        return (_dataSource, schema);
    }

    public async ValueTask DisposeAsync()
    {
        if (_dataSource is not null)
            await _dataSource.DisposeAsync();
    }
}
