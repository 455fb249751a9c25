using SagaDemo.Testing;
using Npgsql;
using SagaDemo.Persistence.Schema;

namespace SagaDemo.Persistence.Tests;

public sealed class SchemaMigratorTests(PostgresServerFixture fixture) : PostgresTestBase(fixture)
{
    [Fact]
    public async Task Running_twice_applies_each_migration_once()
    {
        await using var dataSource = NpgsqlDataSource.Create(await Fixture.Server.CreateDatabaseAsync($"migrate_twice_{Guid.NewGuid():N}"));
        var migrator = new SchemaMigrator(dataSource);

        Assert.Equal([1, 2, 3, 4, 5], await migrator.MigrateAsync(SagaDemoSchemas.Orders));
        Assert.Empty(await migrator.MigrateAsync(SagaDemoSchemas.Orders));

        var extended = SagaDemoSchemas.Orders.With(new Migration(6, "extra table", "CREATE TABLE orders.extra (id uuid PRIMARY KEY)"));
        Assert.Equal([6], await migrator.MigrateAsync(extended));
        await using var command = dataSource.CreateCommand("SELECT array_agg(version ORDER BY version) FROM orders.schema_migrations");
        var versions = (int[])(await command.ExecuteScalarAsync())!;
        Assert.Equal(new[] { 1, 2, 3, 4, 5, 6 }, versions);
    }

    [Fact]
    public async Task Concurrent_starters_do_not_race()
    {
        await using var dataSource = NpgsqlDataSource.Create(await Fixture.Server.CreateDatabaseAsync($"migrate_race_{Guid.NewGuid():N}"));
        // The migration sleeps so the starters really overlap; without the lock they would all run it.
        var slow = SagaDemoSchemas.Orders.With(new Migration(6, "slow", "SELECT pg_sleep(0.2); CREATE TABLE orders.once (id int PRIMARY KEY)"));

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => new SchemaMigrator(dataSource).MigrateAsync(slow)));

        Assert.Single(results, applied => applied.Count == 6);
        Assert.Equal(7, results.Count(applied => applied.Count == 0));
        await using var command = dataSource.CreateCommand("SELECT count(*) FROM orders.schema_migrations");
        Assert.Equal(6L, await command.ExecuteScalarAsync());
    }

    [Fact]
    public async Task A_failing_migration_leaves_the_schema_as_it_was()
    {
        await using var dataSource = NpgsqlDataSource.Create(await Fixture.Server.CreateDatabaseAsync($"migrate_fail_{Guid.NewGuid():N}"));
        var migrator = new SchemaMigrator(dataSource);
        var broken = SagaDemoSchemas.Orders.With(new Migration(6, "broken", "CREATE TABLE orders.t (id int); SELECT no_such_function()"));

        await Assert.ThrowsAsync<PostgresException>(() => migrator.MigrateAsync(broken));

        await using var command = dataSource.CreateCommand("SELECT to_regnamespace('orders') IS NULL");
        Assert.Equal(true, await command.ExecuteScalarAsync());
        Assert.Equal([1, 2, 3, 4, 5], await migrator.MigrateAsync(SagaDemoSchemas.Orders));
    }

    [Fact]
    public async Task Duplicate_versions_are_rejected_before_touching_the_database()
    {
        var schema = SagaDemoSchemas.Orders.With(new Migration(2, "clash", "SELECT 1"));
        await Assert.ThrowsAsync<ArgumentException>(() => new SchemaMigrator(DataSource).MigrateAsync(schema));
    }
}
