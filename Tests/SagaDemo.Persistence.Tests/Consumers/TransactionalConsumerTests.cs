using SagaDemo.Testing;
using System.Text.Json;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using SagaDemo.Contracts;
using SagaDemo.Contracts.Orders;
using SagaDemo.Contracts.Users;
using SagaDemo.Host.Composition;
using SagaDemo.Persistence.Operations;
using SagaDemo.Persistence.Payment;
using SagaDemo.Persistence.Statistics;
using SagaDemo.Persistence.Users;
using SagaDemo.Persistence.Warehouse;
using SagaDemo.Services.Approval;
using SagaDemo.Services.Operations;
using SagaDemo.Services.Payment;
using SagaDemo.Services.Statistics;
using SagaDemo.Services.Users;
using SagaDemo.Services.Warehouse;
using SagaDemo.Host.RoleModules;

namespace SagaDemo.Persistence.Tests.Consumers;

/// <summary>
/// Every service consumer behind the host's transactional filter on a test bus, with the PostgreSQL
/// stores and no relay, so the outbox rows stay to be counted. Each consumed message type is delivered
/// twice with the same message id: one effect, one outgoing message, one inbox record.
/// </summary>
public sealed class TransactionalConsumerTests(PostgresServerFixture fixture) : PostgresTestBase(fixture)
{
    ServiceProvider _provider = null!;
    ITestHarness _harness = null!;

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Approval:Delay"] = "00:00:00" }).Build();
        var services = new ServiceCollection()
            .AddSingleton(TimeProvider.System)
            .AddLogging()
            .AddSagaDemoPostgres(ConnectionString);
        services.AddSingleton<IOperationStore>(sp => new PostgresOperationStore(sp.GetRequiredService<NpgsqlDataSource>()));
        services.AddSingleton<IUserStore>(sp => new PostgresUserStore(sp.GetRequiredService<NpgsqlDataSource>()));
        services.AddSingleton<IInventoryStore>(sp => new PostgresInventoryStore(sp.GetRequiredService<NpgsqlDataSource>(),
            sp.GetRequiredService<IOptions<WarehouseOptions>>()));
        services.AddSingleton<IPaymentStore>(sp => new PostgresPaymentStore(sp.GetRequiredService<NpgsqlDataSource>()));
        services.AddSingleton<IStatisticsStore>(sp => new PostgresStatisticsStore(sp.GetRequiredService<NpgsqlDataSource>()));
        _provider = services
            .AddOperationsService().AddApprovalService(configuration).AddWarehouseService(configuration)
            .AddPaymentService(configuration)
            .AddMassTransitTestHarness(x =>
            {
                var stateful = RoleCatalog.All.Where(r => r.Schema is not null).ToList();
                foreach (var group in stateful.SelectMany(r => r.ConsumerGroups))
                    x.AddServiceConsumers(group);
                PostgresStorage.UseTransactionalConsumers(x, stateful);
            })
            .BuildServiceProvider(true);
        _harness = _provider.GetRequiredService<ITestHarness>();
        await _harness.Start();
    }

    public override async Task DisposeAsync()
    {
        await _harness.Stop();
        await _provider.DisposeAsync();
        await base.DisposeAsync();
    }

    /// <summary>Publishes the message twice under one message id and waits until the second was recognised as a duplicate.</summary>
    async Task<Guid> DeliverTwiceAsync<T>(T message) where T : class
    {
        using var duplicates = new MetricCounter("sagademo.inbox.duplicates");
        var messageId = NewId.NextGuid();
        await _harness.Bus.Publish(message, c => c.MessageId = messageId);
        await Eventually.Until(() => InboxCountAsync(messageId), n => n == 1, what: $"{typeof(T).Name} applied");
        await _harness.Bus.Publish(message, c => c.MessageId = messageId);
        await Eventually.Until(() => Task.FromResult(duplicates.Count), n => n == 1, what: $"{typeof(T).Name} redelivery skipped");
        Assert.Equal(1, await InboxCountAsync(messageId));
        return messageId;
    }

    Task<long> InboxCountAsync(Guid messageId) => ScalarAsync<long>("""
        SELECT (SELECT count(*) FROM operations.inbox WHERE message_id = $1) + (SELECT count(*) FROM users.inbox WHERE message_id = $1)
             + (SELECT count(*) FROM warehouse.inbox WHERE message_id = $1) + (SELECT count(*) FROM payment.inbox WHERE message_id = $1)
             + (SELECT count(*) FROM statistics.inbox WHERE message_id = $1)
        """, messageId);

    Task<long> OutboxCountAsync(string schema, string topic, Guid subject) =>
        ScalarAsync<long>($"SELECT count(*) FROM {schema}.outbox WHERE destination = $1 AND body::text LIKE '%' || $2 || '%'",
            topic, subject.ToString());

    [Fact]
    public async Task Operation_replies_finish_the_operation_once()
    {
        var store = _provider.GetRequiredService<IOperationStore>();
        Guid userOperation = Guid.NewGuid(), orderOperation = Guid.NewGuid(), userId = Guid.NewGuid();
        var now = DateTimeOffset.UtcNow;
        foreach (var (id, type) in new[] { (userOperation, OperationTypes.UserCreate), (orderOperation, OperationTypes.OrderCreate) })
            await store.AddAsync(new Operation(id, type, OperationStatus.Pending, now, now, JsonSerializer.SerializeToElement(new { }),
                null, null, null), default);

        await DeliverTwiceAsync(new UserCreateCompleted(userOperation, userId, UserCreateStatus.Completed, null));
        await DeliverTwiceAsync(new OrderCreateCompleted(orderOperation, OrderCreateStatus.Completed, 5m, "TRK-1", null));

        Assert.Equal(OperationStatus.Completed, (await store.FindAsync(userOperation, default))!.Status);
        Assert.Equal(5m, (await store.FindAsync(orderOperation, default))!.Result!.Value.GetProperty("amount").GetDecimal());
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM operations.outbox"));
    }

    [Fact]
    public async Task Store_user_adds_one_user_and_confirms_once()
    {
        var (operationId, userId) = (Guid.NewGuid(), Guid.NewGuid());
        await DeliverTwiceAsync(new StoreUser(operationId, userId, "hans", null, DateTimeOffset.UtcNow));

        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM users.users WHERE id = $1", userId));
        Assert.Equal(1L, await OutboxCountAsync("users", Topics.UserStoreResponse, operationId));
        Assert.False(await _harness.Published.Any<UserStored>(m => m.Context.Message.OperationId == operationId));
    }

    [Fact]
    public async Task Warehouse_commands_reserve_release_and_ship_once_each()
    {
        var (kept, released) = (Guid.NewGuid(), Guid.NewGuid());
        await DeliverTwiceAsync(new ReserveStock(kept, [new OrderItem("keyboard", 2)]));
        await DeliverTwiceAsync(new ReserveStock(released, [new OrderItem("keyboard", 1)]));
        await DeliverTwiceAsync(new ReleaseStock(released));
        await DeliverTwiceAsync(new ShipOrder(kept));

        Assert.Equal((48, 0), await KeyboardAsync());
        Assert.Equal(2L, await OutboxCountAsync("warehouse", Topics.WarehouseEvent, kept)); // StockReserved + OrderShipped
        Assert.Equal(2L, await OutboxCountAsync("warehouse", Topics.WarehouseEvent, released)); // StockReserved + StockReleased
    }

    [Fact]
    public async Task Charge_payment_decides_and_answers_once()
    {
        var orderId = Guid.NewGuid();
        await DeliverTwiceAsync(new ChargePayment(orderId, "c-1", 20m));

        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM payment.payments WHERE order_id = $1", orderId));
        Assert.Equal(1L, await OutboxCountAsync("payment", Topics.PaymentEvent, orderId));
    }

    [Fact]
    public async Task Order_lifecycle_event_counts_once()
    {
        var orderId = Guid.NewGuid();
        await DeliverTwiceAsync(new OrderLifecycleEvent(orderId, "c-1", OrderLifecycleKind.Completed, 9m, null, DateTimeOffset.UtcNow));

        var stats = await _provider.GetRequiredService<IStatisticsStore>().GetAsync(default);
        Assert.Equal((1L, 9m), (stats.Completed, stats.Revenue));
    }

    [Fact]
    public async Task A_failing_consumer_leaves_neither_inbox_record_nor_outbox_row_nor_effect()
    {
        var orderId = Guid.NewGuid();
        var messageId = NewId.NextGuid();
        await _harness.Bus.Publish(new ShipOrder(orderId), c => c.MessageId = messageId);

        Assert.True(await _harness.Published.Any<Fault<ShipOrder>>(f => f.Context.Message.Message.OrderId == orderId));
        Assert.Equal(0L, await InboxCountAsync(messageId));
        Assert.Equal(0L, await OutboxCountAsync("warehouse", Topics.WarehouseEvent, orderId));
    }

    async Task<(int OnHand, int Reserved)> KeyboardAsync()
    {
        var level = (await _provider.GetRequiredService<IInventoryStore>().ListAsync(default)).Single(l => l.Sku == "keyboard");
        return (level.OnHand, level.Reserved);
    }
}
