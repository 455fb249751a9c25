using SagaDemo.Testing;
using SagaDemo.Contracts.Orders;
using SagaDemo.Persistence.Sagas;
using SagaDemo.Persistence.Schema;
using SagaDemo.Sagas.OrderFulfilment;
using SagaDemo.Sagas.UserRegistration;

namespace SagaDemo.Persistence.Tests;

/// <summary>The SQL layer under the repository: versions, conflicts, documents, deadline index.</summary>
public sealed class SagaDocumentStoreTests(PostgresServerFixture fixture) : PostgresTestBase(fixture)
{
    static readonly SagaDocumentStore<OrderState> Orders = new(new PostgresSagaRepositoryOptions<OrderState>
        { Schema = "orders", Table = SagaDemoSchemas.OrderSagaTable });

    static readonly SagaDocumentStore<UserRegistrationState> Users = new(new PostgresSagaRepositoryOptions<UserRegistrationState>
        { Schema = "users", Table = SagaDemoSchemas.UserRegistrationSagaTable, Deadline = s => s.ApprovalDeadline });

    [Fact]
    public async Task Order_document_round_trips_records_list_decimal_and_offset()
    {
        var order = new OrderState
        {
            CorrelationId = Guid.NewGuid(), CurrentState = "Charging", CustomerId = "c-1",
            Items = [new OrderItem("sku-1", 2), new OrderItem("sku-2", 7)],
            SubmittedAt = new DateTimeOffset(2024, 5, 6, 7, 8, 9, 123, TimeSpan.FromHours(-3)), Amount = 1234.5678m,
        };
        await InTransaction((c, t) => Orders.InsertAsync(c, t, order, default));

        var loaded = await Load(Orders, order.CorrelationId);
        Assert.Equal(1, loaded!.Version);
        Assert.Equal(order.Items, loaded.Items);
        Assert.Equal(order.SubmittedAt, loaded.SubmittedAt);
        Assert.Equal(order.SubmittedAt.Offset, loaded.SubmittedAt.Offset);
        Assert.Equal(order.Amount, loaded.Amount);
        Assert.Equal("Charging", await ScalarAsync<string>(
            "SELECT current_state FROM orders.order_saga WHERE correlation_id = $1", order.CorrelationId));
        Assert.Equal("sku-2", await ScalarAsync<string>(
            "SELECT data->'items'->1->>'sku' FROM orders.order_saga WHERE correlation_id = $1", order.CorrelationId));
    }

    [Fact]
    public async Task Update_with_a_stale_version_conflicts_and_changes_nothing()
    {
        var order = new OrderState { CorrelationId = Guid.NewGuid(), CurrentState = "Reserving", CustomerId = "c" };
        await InTransaction((c, t) => Orders.InsertAsync(c, t, order, default));
        var first = (await Load(Orders, order.CorrelationId))!;
        var second = (await Load(Orders, order.CorrelationId))!;

        first.CurrentState = "Charging";
        await InTransaction((c, t) => Orders.UpdateAsync(c, t, first, default));
        Assert.Equal(2, first.Version);

        second.CurrentState = "Cancelled";
        await Assert.ThrowsAsync<SagaConcurrencyException>(() => InTransaction((c, t) => Orders.UpdateAsync(c, t, second, default)));
        var stored = await Load(Orders, order.CorrelationId);
        Assert.Equal(("Charging", 2), (stored!.CurrentState, stored.Version));
    }

    [Fact]
    public async Task Inserting_an_existing_instance_conflicts()
    {
        var id = Guid.NewGuid();
        await InTransaction((c, t) => Orders.InsertAsync(c, t, new OrderState { CorrelationId = id, CustomerId = "a" }, default));

        await Assert.ThrowsAsync<SagaConcurrencyException>(() =>
            InTransaction((c, t) => Orders.InsertAsync(c, t, new OrderState { CorrelationId = id, CustomerId = "b" }, default)));
        Assert.Equal("a", (await Load(Orders, id))!.CustomerId);
    }

    [Fact]
    public async Task Deadline_query_returns_only_expired_instances_oldest_first()
    {
        var now = new DateTimeOffset(2030, 1, 1, 12, 0, 0, TimeSpan.Zero);
        var expiredLong = await InsertUser(now.AddMinutes(-10));
        var expiredJust = await InsertUser(now.AddMilliseconds(-1));
        await InsertUser(now.AddMinutes(1)); // future
        await InsertUser(null); // answered: no deadline
        await InsertUser(now); // due exactly now: not yet expired
        var query = new PostgresSagaDeadlineQuery<UserRegistrationState>(DataSource, Users);

        var expired = await query.FindExpiredAsync(now, 100);

        // Other tests of this class insert users with real (2020s) deadlines; only compare this test's ids.
        var mine = expired.Where(e => e.CorrelationId == expiredLong || e.CorrelationId == expiredJust).ToList();
        Assert.Equal([expiredLong, expiredJust], mine.Select(e => e.CorrelationId));
        Assert.All(expired, e => Assert.True(e.Deadline < now));
        Assert.Equal("AwaitingApproval", mine[0].CurrentState);
        Assert.Equal(expiredLong, Assert.Single(await query.FindExpiredAsync(now, 1)).CorrelationId);
    }

    [Fact]
    public async Task Deadline_query_can_use_the_partial_index()
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        await using (var off = new Npgsql.NpgsqlCommand("SET enable_seqscan = off", connection))
            await off.ExecuteNonQueryAsync();
        await using var explain = new Npgsql.NpgsqlCommand(
            "EXPLAIN SELECT correlation_id FROM users.user_registration_saga WHERE deadline IS NOT NULL AND deadline < now() ORDER BY deadline LIMIT 10",
            connection);
        var plan = string.Join('\n', await ReadAll(explain));
        Assert.Contains("user_registration_saga_deadline_idx", plan);
    }

    async Task<Guid> InsertUser(DateTimeOffset? deadline)
    {
        var user = new UserRegistrationState
            { CorrelationId = Guid.NewGuid(), CurrentState = "AwaitingApproval", Name = "n", ApprovalDeadline = deadline };
        await InTransaction((c, t) => Users.InsertAsync(c, t, user, default));
        return user.CorrelationId;
    }

    static async Task<List<string>> ReadAll(Npgsql.NpgsqlCommand command)
    {
        var lines = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
            lines.Add(reader.GetString(0));
        return lines;
    }

    async Task<T?> Load<T>(SagaDocumentStore<T> store, Guid id) where T : class, MassTransit.ISagaVersion
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        return await store.LoadAsync(connection, null, id, forUpdate: false, default);
    }

    async Task InTransaction(Func<Npgsql.NpgsqlConnection, Npgsql.NpgsqlTransaction, Task> action)
    {
        await using var connection = await DataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await action(connection, transaction);
        await transaction.CommitAsync();
    }
}
