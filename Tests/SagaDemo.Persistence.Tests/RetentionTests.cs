using SagaDemo.Testing;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;
using SagaDemo.Persistence.Operations;
using SagaDemo.Persistence.Retention;
using SagaDemo.Persistence.Schema;
using SagaDemo.Persistence.Transactions;
using SagaDemo.Services.Hosting.Retention;
using SagaDemo.Services.Operations;

namespace SagaDemo.Persistence.Tests;

/// <summary>Retention on a real PostgreSQL: what is past it goes, in batches; what is not, and live work, stays.</summary>
public sealed class RetentionTests(PostgresServerFixture fixture) : PostgresTestBase(fixture)
{
    static readonly TimeSpan Period = TimeSpan.FromDays(7);

    RetentionService Service(int batchSize = 2) => new(DataSource,
        [.. new[] { "operations", "users", "orders" }.SelectMany(PrunableTable.Of)],
        Options.Create(new RetentionOptions { Period = Period, BatchSize = batchSize, PauseBetweenBatches = TimeSpan.Zero }),
        TimeProvider.System, NullLogger<RetentionService>.Instance);

    static DateTimeOffset Old => DateTimeOffset.UtcNow - Period - TimeSpan.FromHours(1);
    static DateTimeOffset Recent => DateTimeOffset.UtcNow - Period + TimeSpan.FromHours(1);

    async Task<Guid> SagaRowAsync(string table, string state, DateTimeOffset updatedAt, DateTimeOffset? deadline = null)
    {
        var id = Guid.NewGuid();
        await using var command = DataSource.CreateCommand(
            $"INSERT INTO {table} (correlation_id, version, current_state, deadline, data, updated_at) VALUES ($1, 1, $2, $3, '{{}}', $4)");
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        command.Parameters.Add(new NpgsqlParameter { Value = state });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)deadline ?? DBNull.Value, NpgsqlDbType = NpgsqlTypes.NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = updatedAt });
        await command.ExecuteNonQueryAsync();
        return id;
    }

    async Task<bool> ExistsAsync(string table, Guid id) =>
        await ScalarAsync<long>($"SELECT count(*) FROM {table} WHERE correlation_id = $1", id) == 1;

    async Task<Guid> InboxRowAsync(string schema, DateTimeOffset processedAt)
    {
        var id = Guid.NewGuid();
        await using var command = DataSource.CreateCommand($"INSERT INTO {schema}.inbox (consumer, message_id, processed_at) VALUES ('c', $1, $2)");
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        command.Parameters.Add(new NpgsqlParameter { Value = processedAt });
        await command.ExecuteNonQueryAsync();
        return id;
    }

    static Operation Pending(DateTimeOffset at, string? key = null) => new(Guid.NewGuid(), OperationTypes.UserCreate,
        OperationStatus.Pending, at, at, JsonSerializer.SerializeToElement(new { name = "hans" }), null, null, null) { IdempotencyKey = key };

    static OperationOutcome Done => new(OperationStatus.Completed, null, null, null);

    [Fact]
    public async Task Removes_what_is_past_retention_in_batches_and_keeps_the_rest_and_live_work()
    {
        const string users = "users." + SagaDemoSchemas.UserRegistrationSagaTable;
        const string orders = "orders." + SagaDemoSchemas.OrderSagaTable;
        var oldTerminal = new List<Guid>();
        foreach (var state in new[] { "Completed", "Rejected", "TimedOut", "Completed", "Completed" })
            oldTerminal.Add(await SagaRowAsync(users, state, Old));
        var oldCancelledOrder = await SagaRowAsync(orders, "Cancelled", Old);
        var recentCompleted = await SagaRowAsync(users, "Completed", Recent);
        var oldWaiting = await SagaRowAsync(users, "Approving", Old, deadline: Old);
        var oldStoring = await SagaRowAsync(users, "Storing", Old);
        var oldShippingOrder = await SagaRowAsync(orders, "Shipping", Old, deadline: DateTimeOffset.UtcNow);

        var store = new PostgresOperationStore(DataSource);
        var oldFinished = await store.AddAsync(Pending(Old), default);
        await store.FinishAsync(oldFinished.Id, Done, Old, default);
        var recentFinished = await store.AddAsync(Pending(Old), default);
        await store.FinishAsync(recentFinished.Id, Done, Recent, default);
        var oldPending = await store.AddAsync(Pending(Old), default);

        var oldInbox = await InboxRowAsync("orders", Old);
        var recentInbox = await InboxRowAsync("orders", Recent);

        using var pruned = new MetricCounter("sagademo.retention.pruned");
        var removed = await Service(batchSize: 2).PruneOnceAsync(default);

        Assert.Equal(5, removed[users]); // three batches of at most two
        Assert.Equal(1, removed[orders]);
        Assert.Equal(1, removed["operations.operations"]);
        Assert.Equal(1, removed["orders.inbox"]);
        Assert.Equal(8, pruned.Count);
        foreach (var id in oldTerminal)
            Assert.False(await ExistsAsync(users, id));
        Assert.False(await ExistsAsync(orders, oldCancelledOrder));
        Assert.True(await ExistsAsync(users, recentCompleted));
        Assert.True(await ExistsAsync(users, oldWaiting));
        Assert.True(await ExistsAsync(users, oldStoring));
        Assert.True(await ExistsAsync(orders, oldShippingOrder));
        Assert.Null(await store.FindAsync(oldFinished.Id, default));
        Assert.NotNull(await store.FindAsync(recentFinished.Id, default));
        Assert.NotNull(await store.FindAsync(oldPending.Id, default));
        Assert.Equal(0, await ScalarAsync<long>("SELECT count(*) FROM orders.inbox WHERE message_id = $1", oldInbox));
        Assert.Equal(1, await ScalarAsync<long>("SELECT count(*) FROM orders.inbox WHERE message_id = $1", recentInbox));

        // Nothing left to do: a second run removes nothing.
        Assert.All((await Service().PruneOnceAsync(default)).Values, v => Assert.Equal(0, v));
    }

    [Fact]
    public async Task A_duplicate_within_retention_is_still_recognised_after_pruning()
    {
        var recent = await InboxRowAsync("users", Recent);
        var forgotten = await InboxRowAsync("users", Old);
        var store = new PostgresOperationStore(DataSource);
        var keyed = await store.AddAsync(Pending(Old, key: "order-42"), default);
        await store.FinishAsync(keyed.Id, Done, Recent, default);

        await Service().PruneOnceAsync(default);

        await using var tx = await PostgresTransactionContext.BeginAsync(DataSource, "users");
        Assert.False(await tx.TryRecordInboxAsync("c", recent));
        Assert.True(await tx.TryRecordInboxAsync("c", forgotten));
        var again = await store.AddAsync(Pending(DateTimeOffset.UtcNow, key: "order-42"), default);
        Assert.Equal(keyed.Id, again.Id);
    }

    [Fact]
    public async Task A_row_a_live_transaction_holds_is_skipped_not_waited_for()
    {
        const string users = "users." + SagaDemoSchemas.UserRegistrationSagaTable;
        var held = await SagaRowAsync(users, "Completed", Old);
        var free = await SagaRowAsync(users, "Completed", Old);
        await using var connection = await DataSource.OpenConnectionAsync();
        await using var live = await connection.BeginTransactionAsync();
        await using (var lockRow = new NpgsqlCommand($"SELECT 1 FROM {users} WHERE correlation_id = $1 FOR UPDATE", connection, live))
        {
            lockRow.Parameters.Add(new NpgsqlParameter { Value = held });
            await lockRow.ExecuteScalarAsync();
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var removed = await Service().PruneOnceAsync(timeout.Token);

        Assert.Equal(1, removed[users]);
        Assert.True(await ExistsAsync(users, held));
        Assert.False(await ExistsAsync(users, free));
        await live.CommitAsync();
        Assert.Equal(1, (await Service().PruneOnceAsync(default))[users]);
        Assert.False(await ExistsAsync(users, held));
    }
}
