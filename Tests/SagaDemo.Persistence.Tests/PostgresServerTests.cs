using Npgsql;
using SagaDemo.Testing;

namespace SagaDemo.Persistence.Tests;

/// <summary>The throwaway server itself: restart keeps data, dispose leaves nothing behind.</summary>
public sealed class PostgresServerTests(PostgresServerFixture fixture) : PostgresTestBase(fixture)
{
    [Fact]
    public async Task Data_committed_before_a_crash_restart_is_still_there()
    {
        await using (var create = DataSource.CreateCommand("CREATE TABLE IF NOT EXISTS survivor (id uuid PRIMARY KEY)"))
            await create.ExecuteNonQueryAsync();
        var id = Guid.NewGuid();
        await using (var insert = DataSource.CreateCommand("INSERT INTO survivor VALUES ($1)"))
        {
            insert.Parameters.Add(new NpgsqlParameter { Value = id });
            await insert.ExecuteNonQueryAsync();
        }

        await Fixture.Server.StopAsync();
        Assert.False(Fixture.Server.IsRunning);
        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var connection = new NpgsqlConnection(ConnectionString + ";Pooling=false");
            await connection.OpenAsync();
        });
        await Fixture.Server.StartAsync();
        DataSource.Clear();

        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM survivor WHERE id = $1", id));
    }

    [Fact]
    public async Task Dispose_stops_the_server_and_removes_its_directory()
    {
        var server = await PostgresServer.StartNewAsync();
        var root = server.RootDirectory;
        var connectionString = await server.CreateDatabaseAsync("scratch");
        await using (var connection = new NpgsqlConnection(connectionString + ";Pooling=false"))
        {
            await connection.OpenAsync();
            // The server answering is the one living in this temp dir.
            await using var dataDirectory = new NpgsqlCommand("SHOW data_directory", connection);
            Assert.StartsWith(root, (string)(await dataDirectory.ExecuteScalarAsync())!);
        }

        await server.DisposeAsync();

        Assert.False(Directory.Exists(root));
        await Assert.ThrowsAnyAsync<Exception>(async () =>
        {
            await using var connection = new NpgsqlConnection(connectionString + ";Pooling=false;Timeout=2");
            await connection.OpenAsync();
        });
    }
}
