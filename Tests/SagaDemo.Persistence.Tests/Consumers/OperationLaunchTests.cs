using SagaDemo.Testing;
using System.Text.Json;
using SagaDemo.Contracts;
using SagaDemo.Contracts.Users;
using SagaDemo.Persistence.GroupCommit;
using SagaDemo.Persistence.Operations;
using SagaDemo.Persistence.Outbox;
using SagaDemo.Persistence.Schema;
using SagaDemo.Services.Operations;
using SagaDemo.Host.RoleModules;

namespace SagaDemo.Persistence.Tests.Consumers;

/// <summary>
/// The API's POST: the operation row and its outbox row commit together or not at all, in a transaction of its own or
/// (without an idempotency key, given a committer) through the schema's group commit.
/// </summary>
public sealed class OperationLaunchTests(PostgresServerFixture fixture) : PostgresTestBase(fixture)
{
    static Operation Pending() => new(Guid.NewGuid(), OperationTypes.UserCreate, OperationStatus.Pending, DateTimeOffset.UtcNow,
        DateTimeOffset.UtcNow, JsonSerializer.SerializeToElement(new { name = "hans" }), null, null, null);

    /// <summary>A schema whose outbox cannot take a row: the commit fails after the operation was inserted.</summary>
    Task MigrateBrokenOutboxSchemaAsync(string schema) =>
        new SchemaMigrator(DataSource).MigrateAsync(SagaDemoSchemas.ForService(schema)
            .With(OperationTables.Operations(2, schema), OperationTables.OwnerAndIdempotencyKey(3, schema),
                new Migration(4, "outbox refuses rows", $"ALTER TABLE {schema}.outbox ADD CONSTRAINT refuse CHECK (false)")));

    [Fact]
    public async Task Launch_writes_the_operation_and_its_message_as_one_outbox_row_keyed_by_the_operation()
    {
        var store = new PostgresOperationStore(DataSource);
        var launcher = new PostgresOperationLauncher(DataSource, store, RoleCatalog.Destinations);
        var operation = Pending();

        Assert.Equal(operation, await launcher.LaunchAsync(operation, new UserCreateRequested(operation.Id, "hans", null), default));

        Assert.Equal(OperationStatus.Pending, (await store.FindAsync(operation.Id, default))!.Status);
        await using var command = DataSource.CreateCommand(
            $"SELECT destination, key, body::text, message_type FROM operations.outbox WHERE key = '{operation.Id}'");
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal((Topics.UserCreate, operation.Id.ToString()), (reader.GetString(0), reader.GetString(1)));
        Assert.Equal(new UserCreateRequested(operation.Id, "hans", null),
            JsonSerializer.Deserialize<UserCreateRequested>(reader.GetString(2), PersistenceJson.Options));
        Assert.Equal(MessageDestinations.TypeName(typeof(UserCreateRequested)), reader.GetString(3));
        Assert.False(await reader.ReadAsync());
    }

    [Fact]
    public async Task A_failed_store_leaves_no_message()
    {
        var store = new PostgresOperationStore(DataSource);
        var launcher = new PostgresOperationLauncher(DataSource, store, RoleCatalog.Destinations);
        var operation = Pending();
        await store.AddAsync(operation, default);
        var before = await ScalarAsync<long>("SELECT count(*) FROM operations.outbox");

        await Assert.ThrowsAsync<InvalidOperationException>(() =>
            launcher.LaunchAsync(operation, new UserCreateRequested(operation.Id, "hans", null), default));

        Assert.Equal(before, await ScalarAsync<long>("SELECT count(*) FROM operations.outbox"));
    }

    [Fact]
    public async Task A_failed_outbox_write_leaves_no_operation()
    {
        await MigrateBrokenOutboxSchemaAsync("ops_broken_outbox");
        var store = new PostgresOperationStore(DataSource, "ops_broken_outbox");
        var launcher = new PostgresOperationLauncher(DataSource, store, RoleCatalog.Destinations, "ops_broken_outbox");
        var operation = Pending();

        await Assert.ThrowsAsync<Npgsql.PostgresException>(() =>
            launcher.LaunchAsync(operation, new UserCreateRequested(operation.Id, "hans", null), default));

        Assert.Null(await store.FindAsync(operation.Id, default));
    }

    [Fact]
    public async Task Concurrent_launches_with_one_idempotency_key_store_one_operation_and_one_message()
    {
        var store = new PostgresOperationStore(DataSource);
        var launcher = new PostgresOperationLauncher(DataSource, store, RoleCatalog.Destinations);
        var key = Guid.NewGuid().ToString();
        var candidates = Enumerable.Range(0, 12)
            .Select(_ => Pending() with { Owner = "shop", IdempotencyKey = key, RequestHash = "h" }).ToArray();

        var launched = await Task.WhenAll(candidates.Select(c => Task.Run(() =>
            launcher.LaunchAsync(c, new UserCreateRequested(c.Id, "hans", null), default))));

        var winner = Assert.Single(launched.Select(o => o.Id).Distinct());
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM operations.operations WHERE idempotency_key = $1", key));
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM operations.outbox WHERE key = $1", winner.ToString()));
        var ids = candidates.Select(c => c.Id.ToString()).ToArray();
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM operations.outbox WHERE key = ANY($1)", (object)ids));
    }

    [Fact]
    public async Task Launches_without_a_key_share_group_commits_and_each_keeps_its_own_message()
    {
        await using var committer = new GroupCommitter(DataSource, "operations");
        var store = new PostgresOperationStore(DataSource);
        var launcher = new PostgresOperationLauncher(DataSource, store, RoleCatalog.Destinations, committer: committer);
        var operations = Enumerable.Range(0, 40).Select(_ => Pending()).ToArray();
        using var sizes = new GroupSizes();

        await Task.WhenAll(operations.Select(o => Task.Run(() => launcher.LaunchAsync(o, new UserCreateRequested(o.Id, "hans", null), default))));

        Assert.Equal(40, sizes.Total);
        Assert.True(sizes.Transactions < 40, $"{sizes.Transactions} transactions for 40 launches");
        var ids = operations.Select(o => o.Id).ToArray();
        var keys = operations.Select(o => o.Id.ToString()).ToArray();
        Assert.Equal(40L, await ScalarAsync<long>("SELECT count(*) FROM operations.operations WHERE id = ANY($1)", (object)ids));
        Assert.Equal(40L, await ScalarAsync<long>("SELECT count(DISTINCT key) FROM operations.outbox WHERE key = ANY($1)", (object)keys));
        Assert.Equal(40L, await ScalarAsync<long>("SELECT count(*) FROM operations.outbox WHERE key = ANY($1)", (object)keys));
    }

    [Fact]
    public async Task A_grouped_launch_whose_outbox_write_fails_leaves_no_operation()
    {
        await MigrateBrokenOutboxSchemaAsync("ops_broken_grouped");
        await using var committer = new GroupCommitter(DataSource, "ops_broken_grouped");
        var store = new PostgresOperationStore(DataSource, "ops_broken_grouped");
        var launcher = new PostgresOperationLauncher(DataSource, store, RoleCatalog.Destinations, "ops_broken_grouped", committer);
        var operation = Pending();

        await Assert.ThrowsAsync<Npgsql.PostgresException>(() =>
            launcher.LaunchAsync(operation, new UserCreateRequested(operation.Id, "hans", null), default));

        Assert.Null(await store.FindAsync(operation.Id, default));
    }

    [Fact]
    public async Task A_grouped_launch_of_an_existing_id_fails_alone_and_the_others_commit()
    {
        await using var committer = new GroupCommitter(DataSource, "operations");
        var store = new PostgresOperationStore(DataSource);
        var launcher = new PostgresOperationLauncher(DataSource, store, RoleCatalog.Destinations, committer: committer);
        var existing = Pending();
        await store.AddAsync(existing, default);
        var fresh = Enumerable.Range(0, 10).Select(_ => Pending()).ToArray();

        var duplicate = launcher.LaunchAsync(existing, new UserCreateRequested(existing.Id, "hans", null), default);
        var others = fresh.Select(o => launcher.LaunchAsync(o, new UserCreateRequested(o.Id, "hans", null), default)).ToArray();

        await Assert.ThrowsAsync<InvalidOperationException>(() => duplicate);
        await Task.WhenAll(others);
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM operations.outbox WHERE key = $1", existing.Id.ToString()));
        Assert.Equal(10L, await ScalarAsync<long>("SELECT count(*) FROM operations.operations WHERE id = ANY($1)", (object)fresh.Select(o => o.Id).ToArray()));
    }

    [Fact]
    public async Task A_store_that_must_write_at_once_refuses_inside_a_group_commit_and_writes_nothing()
    {
        var store = new PostgresOperationStore(DataSource);
        var keyed = Pending() with { Owner = "shop", IdempotencyKey = Guid.NewGuid().ToString(), RequestHash = "h" };

        using (AmbientWriteSet.Enter(new WriteSet("operations")))
            await Assert.ThrowsAsync<InvalidOperationException>(() => store.AddAsync(keyed, default));

        Assert.Null(await store.FindAsync(keyed.Id, default));
    }
}
