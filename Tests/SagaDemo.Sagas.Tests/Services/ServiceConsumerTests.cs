using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SagaDemo.Contracts;
using SagaDemo.Contracts.Orders;
using SagaDemo.Contracts.Users;
using SagaDemo.Services.Approval;
using SagaDemo.Services.Operations;
using SagaDemo.Services.Payment;
using SagaDemo.Services.Statistics;
using SagaDemo.Services.Users;
using SagaDemo.Services.Warehouse;
using SagaDemo.Sagas.Tests.Support;
using SagaDemo.Host.Composition;
using SagaDemo.Host.RoleModules;
using MassTransit.Configuration;

namespace SagaDemo.Sagas.Tests.Services;

/// <summary>Every service's consumers on one test bus, fed messages directly, redeliveries included.</summary>
public sealed class ServiceConsumerTests : IAsyncLifetime
{
    ServiceProvider _provider = null!;
    ITestHarness _harness = null!;

    public async Task InitializeAsync()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Approval:Delay"] = "00:00:00" })
            .Build();
        _provider = new ServiceCollection()
            .AddSingleton(TimeProvider.System)
            .AddLogging()
            .AddSingleton<IOperationStore, InMemoryOperationStore>()
            .AddScoped<IOperationLauncher, PublishingOperationLauncher>()
            .AddOperationsService()
            .AddSingleton<IUserStore, InMemoryUserStore>()
            .AddApprovalService(configuration)
            .AddWarehouseService(configuration)
            .AddSingleton<IInventoryStore, InMemoryInventoryStore>()
            .AddPaymentService(configuration)
            .AddSingleton<IPaymentStore, InMemoryPaymentStore>()
            .AddSingleton<IStatisticsStore, InMemoryStatisticsStore>()
            .AddMassTransitTestHarness(x =>
            {
                foreach (var group in RoleCatalog.All.SelectMany(r => r.ConsumerGroups))
                    x.AddServiceConsumers(group);
            })
            .BuildServiceProvider(true);
        _harness = _provider.GetRequiredService<ITestHarness>();
        await _harness.Start();
    }

    public async Task DisposeAsync()
    {
        await _harness.Stop();
        await _provider.DisposeAsync();
    }

    T Get<T>() where T : notnull => _provider.GetRequiredService<T>();

    [Fact]
    public async Task Store_user_twice_keeps_one_user_and_confirms_both_times()
    {
        var operationId = Guid.NewGuid();
        var userId = Guid.NewGuid();
        await _harness.PublishAndSettleAsync(new StoreUser(operationId, userId, "hans", null, DateTimeOffset.UnixEpoch));
        await _harness.PublishAndSettleAsync(new StoreUser(operationId, userId, "changed", null, DateTimeOffset.UnixEpoch));

        Assert.Equal(new User(userId, "hans", null, DateTimeOffset.UnixEpoch, operationId),
            await Get<IUserStore>().FindAsync(userId, default));
        Assert.Equal(2, _harness.PublishedOf<UserStored>(m => m.UserId == userId).Count);
    }

    [Theory]
    [InlineData("hans", "hans@example.com", true, null)]
    [InlineData("admin", null, false, "name 'admin' is on the deny list")]
    [InlineData("hans", "broken", false, "email 'broken' is not a valid address")]
    public async Task Approval_answers_by_the_rules(string name, string? email, bool approved, string? reason)
    {
        var operationId = Guid.NewGuid();
        var userId = Guid.NewGuid();
        await _harness.PublishAndSettleAsync(new UserApprovalRequested(operationId, userId, name, email));

        var answer = Assert.Single(_harness.PublishedOf<UserApprovalCompleted>(m => m.OperationId == operationId));
        Assert.Equal(new UserApprovalCompleted(operationId, userId, approved, reason), answer);
        // Acknowledged, whatever the decision: the saga's deadline counts from the receipt.
        var receipt = Assert.Single(_harness.PublishedOf<UserApprovalReceived>(m => m.OperationId == operationId));
        Assert.Equal((operationId, userId), (receipt.OperationId, receipt.UserId));
    }

    [Fact]
    public async Task Reserve_twice_answers_the_same_and_reserves_once()
    {
        var orderId = Guid.NewGuid();
        await _harness.PublishAndSettleAsync(new ReserveStock(orderId, [new("book", 2)]));
        await _harness.PublishAndSettleAsync(new ReserveStock(orderId, [new("book", 2)]));

        var answers = _harness.PublishedOf<StockReserved>(m => m.OrderId == orderId);
        Assert.Equal([new StockReserved(orderId, 25.80m), new StockReserved(orderId, 25.80m)], answers);
        var book = (await Get<IInventoryStore>().ListAsync(default)).Single(l => l.Sku == "book");
        Assert.Equal(2, book.Reserved);
    }

    [Fact]
    public async Task Out_of_stock_and_unknown_skus_are_unavailable_with_the_sku_named()
    {
        Guid zero = Guid.NewGuid(), unknown = Guid.NewGuid();
        await _harness.PublishAndSettleAsync(new ReserveStock(zero, [new("book", 1), new("unicorn", 1)]));
        await _harness.PublishAndSettleAsync(new ReserveStock(unknown, [new("ghost", 1)]));

        Assert.Equal("SKU 'unicorn': 1 requested, 0 available",
            Assert.Single(_harness.PublishedOf<StockUnavailable>(m => m.OrderId == zero)).Reason);
        Assert.Equal("unknown SKU 'ghost'", Assert.Single(_harness.PublishedOf<StockUnavailable>(m => m.OrderId == unknown)).Reason);
        Assert.Equal(0, (await Get<IInventoryStore>().ListAsync(default)).Single(l => l.Sku == "book").Reserved);
    }

    [Fact]
    public async Task Release_and_ship_answer_and_adjust_stock_once()
    {
        Guid released = Guid.NewGuid(), shipped = Guid.NewGuid();
        await _harness.PublishAndSettleAsync(new ReserveStock(released, [new("monitor", 1)]));
        await _harness.PublishAndSettleAsync(new ReserveStock(shipped, [new("monitor", 2)]));
        await _harness.PublishAndSettleAsync(new ReleaseStock(released));
        await _harness.PublishAndSettleAsync(new ReleaseStock(released));
        await _harness.PublishAndSettleAsync(new ShipOrder(shipped));
        await _harness.PublishAndSettleAsync(new ShipOrder(shipped));

        Assert.Equal(2, _harness.PublishedOf<StockReleased>(m => m.OrderId == released).Count);
        var tracking = _harness.PublishedOf<OrderShipped>(m => m.OrderId == shipped).Select(m => m.TrackingNumber).Distinct();
        Assert.Equal([TrackingNumbers.For(shipped)], tracking);
        var monitor = (await Get<IInventoryStore>().ListAsync(default)).Single(l => l.Sku == "monitor");
        Assert.Equal((8, 0), (monitor.OnHand, monitor.Reserved));
    }

    [Fact]
    public async Task Payment_repeats_its_first_decision_per_order()
    {
        Guid charged = Guid.NewGuid(), declined = Guid.NewGuid();
        await _harness.PublishAndSettleAsync(new ChargePayment(charged, "c-1", 100m));
        await _harness.PublishAndSettleAsync(new ChargePayment(charged, "c-1", 5000m));
        await _harness.PublishAndSettleAsync(new ChargePayment(declined, "c-1", 1500m));
        await _harness.PublishAndSettleAsync(new ChargePayment(declined, "c-1", 1m));

        Assert.Equal([new PaymentCharged(charged, 100m), new PaymentCharged(charged, 100m)],
            _harness.PublishedOf<PaymentCharged>(m => m.OrderId == charged));
        Assert.Empty(_harness.PublishedOf<PaymentCharged>(m => m.OrderId == declined));
        Assert.All(_harness.PublishedOf<PaymentDeclined>(m => m.OrderId == declined),
            m => Assert.Equal("amount 1500.00 exceeds the limit of 1000.00", m.Reason));
        Assert.Equal(2, _harness.PublishedOf<PaymentDeclined>(m => m.OrderId == declined).Count);
    }

    [Fact]
    public async Task Statistics_count_a_redelivered_final_event_once()
    {
        var orderId = Guid.NewGuid();
        var before = await Get<IStatisticsStore>().GetAsync(default);
        await _harness.PublishAndSettleAsync(new OrderLifecycleEvent(orderId, "c-1", OrderLifecycleKind.Submitted, null, null, default));
        await _harness.PublishAndSettleAsync(new OrderLifecycleEvent(orderId, "c-1", OrderLifecycleKind.Shipped, 7m, null, default));
        await _harness.PublishAndSettleAsync(new OrderLifecycleEvent(orderId, "c-1", OrderLifecycleKind.Completed, 7m, null, default));
        await _harness.PublishAndSettleAsync(new OrderLifecycleEvent(orderId, "c-1", OrderLifecycleKind.Completed, 7m, null, default));

        var after = await Get<IStatisticsStore>().GetAsync(default);
        Assert.Equal((1, 1, 7m), (after.Submitted - before.Submitted, after.Completed - before.Completed, after.Revenue - before.Revenue));
    }

    [Fact]
    public async Task Operation_completes_once_and_a_later_reply_changes_nothing()
    {
        var store = Get<IOperationStore>();
        var operationId = Guid.NewGuid();
        var userId = Guid.NewGuid();
        var now = DateTimeOffset.UtcNow;
        await store.AddAsync(new Operation(operationId, OperationTypes.UserCreate, OperationStatus.Pending, now, now,
            System.Text.Json.JsonSerializer.SerializeToElement(new { name = "hans" }), null, null, null), default);

        await _harness.PublishAndSettleAsync(new UserCreateCompleted(operationId, userId, UserCreateStatus.Completed, null));
        await _harness.PublishAndSettleAsync(new UserCreateCompleted(operationId, userId, UserCreateStatus.Failed, "late"));
        await _harness.PublishAndSettleAsync(new UserCreateCompleted(Guid.NewGuid(), userId, UserCreateStatus.Completed, null));

        var operation = await store.FindAsync(operationId, default);
        Assert.Equal(OperationStatus.Completed, operation!.Status);
        Assert.Null(operation.Error);
        Assert.Equal(userId, operation.Result!.Value.GetProperty("userId").GetGuid());
    }

    string EndpointOf<TConsumer>() where TConsumer : class, IConsumer =>
        _provider.GetServices<IConsumerRegistration>().Single(r => r.Type == typeof(TConsumer))
            .GetDefinition(_provider.GetRequiredService<IBusRegistrationContext>()).GetEndpointName(DefaultEndpointNameFormatter.Instance);

    [Fact]
    public void Every_service_listens_on_its_consumer_group()
    {
        Assert.Equal(ApiRole.Group, EndpointOf<UserCreateCompletedConsumer>());
        Assert.Equal(UsersRole.StoreGroup, EndpointOf<StoreUserConsumer>());
        Assert.Equal(ApprovalRole.Group, EndpointOf<UserApprovalRequestedConsumer>());
        Assert.Equal(WarehouseRole.Group, EndpointOf<ShipOrderConsumer>());
        Assert.Equal(PaymentRole.Group, EndpointOf<ChargePaymentConsumer>());
        Assert.Equal(StatisticsRole.Group, EndpointOf<OrderLifecycleEventConsumer>());
    }
}
