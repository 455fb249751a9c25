using SagaDemo.Testing;
using SagaDemo.Persistence.GroupCommit;
using SagaDemo.Persistence.Outbox;
using SagaDemo.Persistence.Sagas;
using SagaDemo.Persistence.Schema;
using SagaDemo.Sagas.OrderFulfilment;

namespace SagaDemo.Persistence.Tests;

/// <summary>
/// Group commit on a real PostgreSQL: many messages' write sets share a transaction, yet each keeps the all-or-nothing
/// outcome it would have had alone (a lost race, a duplicate or a failed statement takes out only its own set).
/// </summary>
public sealed class GroupCommitTests(PostgresServerFixture fixture) : PostgresTestBase(fixture)
{
    static readonly SagaDocumentStore<OrderState> Orders = new(new PostgresSagaRepositoryOptions<OrderState>
        { Schema = "orders", Table = SagaDemoSchemas.OrderSagaTable });

    // The test class shares one database: each test counts only its own rows (xunit makes an instance per test).
    readonly string _tag = Guid.NewGuid().ToString("N");

    Task<long> CountAsync(string table, string? destination = null) => table switch
    {
        "order_saga" => ScalarAsync<long>("SELECT count(*) FROM orders.order_saga WHERE data->>'customerId' = $1", _tag),
        "inbox" => ScalarAsync<long>("SELECT count(*) FROM orders.inbox WHERE consumer = $1", _tag),
        _ => ScalarAsync<long>("SELECT count(*) FROM orders.outbox WHERE message_type = $1 AND destination LIKE $2", _tag, destination ?? "%"),
    };

    [Fact]
    public async Task Sets_finished_together_share_transactions_and_all_commit_with_their_outbox_rows_in_order()
    {
        await using var committer = new GroupCommitter(DataSource, "orders");
        using var sizes = new GroupSizes();
        var sets = Enumerable.Range(0, 60).Select(i => NewOrderSet(out var _)).ToList();

        var outcomes = await Task.WhenAll(sets.Select(s => committer.CommitAsync(s)));

        Assert.All(outcomes, Assert.True);
        Assert.Equal(60, sizes.Total);
        Assert.True(sizes.Transactions < 60, $"{sizes.Transactions} transactions for 60 sets");
        Assert.Equal(60L, await CountAsync("order_saga"));
        Assert.Equal(60L, await CountAsync("inbox"));
        // Each set's two rows keep their order (the second has the higher id), as do sets' rows within a group.
        Assert.Equal(0L, await ScalarAsync<long>("""
            SELECT count(*) FROM orders.outbox a JOIN orders.outbox b ON a.key = b.key
            WHERE a.message_type = $1 AND a.destination = 'first' AND b.destination = 'second' AND a.id > b.id
            """, _tag));
        Assert.Equal(120L, await CountAsync("outbox"));
    }

    [Fact]
    public async Task A_set_that_lost_a_version_race_fails_alone_and_leaves_nothing()
    {
        var existing = NewOrderSet(out var order);
        await using var committer = new GroupCommitter(DataSource, "orders", new GroupCommitterOptions { Writers = 1 });
        Assert.True(await committer.CommitAsync(existing));

        var stale = new WriteSet("orders");
        stale.RecordInbox(_tag, Guid.NewGuid());
        order.CurrentState = "Stale";
        order.Version = 7; // read long ago
        stale.Add(Orders.UpdateWrite(order));
        stale.AddOutgoing(Message(order.CorrelationId, "stale"));
        var others = Enumerable.Range(0, 20).Select(i => NewOrderSet(out var _)).ToList();

        var staleOutcome = committer.CommitAsync(stale);
        var otherOutcomes = others.Select(s => committer.CommitAsync(s)).ToList();

        await Assert.ThrowsAsync<SagaConcurrencyException>(() => staleOutcome);
        Assert.All(await Task.WhenAll(otherOutcomes), Assert.True);
        Assert.Equal(21L, await CountAsync("order_saga"));
        Assert.Equal("Reserving", await ScalarAsync<string>(
            "SELECT current_state FROM orders.order_saga WHERE correlation_id = $1", order.CorrelationId));
        Assert.Equal(0L, await CountAsync("outbox", "stale"));
        Assert.Equal(21L, await CountAsync("inbox"));
    }

    [Fact]
    public async Task A_duplicate_message_is_answered_as_such_and_a_concurrent_creation_as_a_conflict()
    {
        var first = NewOrderSet(out var order);
        await using var committer = new GroupCommitter(DataSource, "orders", new GroupCommitterOptions { Writers = 1 });
        Assert.True(await committer.CommitAsync(first));

        // The same message again (a redelivery that raced the first delivery): nothing of it is written.
        var duplicate = new WriteSet("orders");
        duplicate.RecordInbox(first.Inbox!.Value.Consumer, first.Inbox.Value.MessageId);
        duplicate.Add(Orders.UpdateWrite(order));
        duplicate.AddOutgoing(Message(order.CorrelationId, "duplicate"));
        // Another message creating the same instance: it lost the race to create it.
        var creator = new WriteSet("orders");
        creator.RecordInbox(_tag, Guid.NewGuid());
        creator.Add(Orders.InsertWrite(new OrderState { CorrelationId = order.CorrelationId, CurrentState = "Other", CustomerId = _tag }));
        var others = Enumerable.Range(0, 10).Select(i => NewOrderSet(out var _)).ToList();

        var outcomes = new[] { duplicate, creator }.Concat(others).Select(s => committer.CommitAsync(s)).ToList();

        Assert.False(await outcomes[0]);
        await Assert.ThrowsAsync<SagaConcurrencyException>(() => outcomes[1]);
        Assert.All(await Task.WhenAll(outcomes.Skip(2)), Assert.True);
        Assert.Equal(1, await ScalarAsync<int>("SELECT version FROM orders.order_saga WHERE correlation_id = $1", order.CorrelationId));
        Assert.Equal(0L, await CountAsync("outbox", "duplicate"));
        Assert.Equal(11L, await CountAsync("inbox"));
    }

    WriteSet NewOrderSet(out OrderState order)
    {
        order = new OrderState { CorrelationId = Guid.NewGuid(), CurrentState = "Reserving", CustomerId = _tag };
        var set = new WriteSet("orders");
        set.RecordInbox(_tag, Guid.NewGuid());
        set.Add(Orders.InsertWrite(order));
        set.AddOutgoing(Message(order.CorrelationId, "first"));
        set.AddOutgoing(Message(order.CorrelationId, "second"));
        return set;
    }

    OutboxMessage Message(Guid key, string destination) =>
        new(Guid.NewGuid(), destination, _tag, key.ToString(), new Dictionary<string, string>(), "{}");
}
