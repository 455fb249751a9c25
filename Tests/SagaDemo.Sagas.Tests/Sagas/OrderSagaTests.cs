using SagaDemo.Contracts.Orders;
using SagaDemo.Sagas.OrderFulfilment;
using SagaDemo.Sagas.Tests.Support;
using K = SagaDemo.Contracts.Orders.OrderLifecycleKind;

namespace SagaDemo.Sagas.Tests.Sagas;

public sealed class OrderSagaTests
{
    static readonly OrderItem[] Items = [new("book", 2), new("apple", 3)];

    static async Task<Guid> SubmitAsync(OrderSagaHarness h)
    {
        var orderId = Guid.NewGuid();
        await h.Bus.PublishAndSettleAsync(new OrderSubmitted(orderId, "c-1", Items, DateTimeOffset.UnixEpoch));
        Assert.NotNull(await h.Saga.Exists(orderId, m => m.Reserving));
        return orderId;
    }

    static async Task<Guid> ChargingAsync(OrderSagaHarness h)
    {
        var orderId = await SubmitAsync(h);
        await h.Bus.PublishAndSettleAsync(new StockReserved(orderId, 27.3m));
        Assert.NotNull(await h.Saga.Exists(orderId, m => m.Charging));
        return orderId;
    }

    static async Task<Guid> ShippingAsync(OrderSagaHarness h)
    {
        var orderId = await ChargingAsync(h);
        await h.Bus.PublishAndSettleAsync(new PaymentCharged(orderId, 27.3m));
        Assert.NotNull(await h.Saga.Exists(orderId, m => m.Shipping));
        return orderId;
    }

    [Fact]
    public async Task Submission_reserves_the_items()
    {
        await using var h = await OrderSagaHarness.StartAsync();
        var orderId = await SubmitAsync(h);

        var reserve = Assert.Single(h.Bus.PublishedOf<ReserveStock>(m => m.OrderId == orderId));
        Assert.Equal(Items, reserve.Items);
        Assert.Equal([K.Submitted], h.LifecycleKinds(orderId));
    }

    [Fact]
    public async Task Happy_path_reserves_charges_ships_and_completes()
    {
        await using var h = await OrderSagaHarness.StartAsync();
        var orderId = await ChargingAsync(h);
        var charge = Assert.Single(h.Bus.PublishedOf<ChargePayment>(m => m.OrderId == orderId));
        Assert.Equal(new ChargePayment(orderId, "c-1", 27.3m), charge);

        await h.Bus.PublishAndSettleAsync(new PaymentCharged(orderId, 27.3m));
        Assert.NotNull(await h.Saga.Exists(orderId, m => m.Shipping));
        Assert.Single(h.Bus.PublishedOf<ShipOrder>(m => m.OrderId == orderId));

        await h.Bus.PublishAndSettleAsync(new OrderShipped(orderId, "TRK-1"));
        Assert.NotNull(await h.Saga.Exists(orderId, m => m.Completed));

        var done = Assert.Single(h.Bus.PublishedOf<OrderCreateCompleted>(m => m.OrderId == orderId));
        Assert.Equal(new OrderCreateCompleted(orderId, OrderCreateStatus.Completed, 27.3m, "TRK-1", null), done);
        Assert.Equal([K.Submitted, K.StockReserved, K.PaymentCharged, K.Shipped, K.Completed], h.LifecycleKinds(orderId));
        var completed = h.Bus.PublishedOf<OrderLifecycleEvent>(e => e.OrderId == orderId && e.Kind == K.Completed).Single();
        Assert.Equal(27.3m, completed.Amount);
        Assert.Equal("c-1", completed.CustomerId);
        Assert.Empty(h.Bus.PublishedOf<ReleaseStock>(m => m.OrderId == orderId));
    }

    [Fact]
    public async Task Out_of_stock_cancels_without_charging()
    {
        await using var h = await OrderSagaHarness.StartAsync();
        var orderId = await SubmitAsync(h);

        await h.Bus.PublishAndSettleAsync(new StockUnavailable(orderId, "SKU 'book': 2 requested, 0 available"));

        Assert.NotNull(await h.Saga.Exists(orderId, m => m.Cancelled));
        var failed = Assert.Single(h.Bus.PublishedOf<OrderCreateCompleted>(m => m.OrderId == orderId));
        Assert.Equal(new OrderCreateCompleted(orderId, OrderCreateStatus.Failed, null, null,
            "out of stock: SKU 'book': 2 requested, 0 available"), failed);
        Assert.Equal([K.Submitted, K.Cancelled], h.LifecycleKinds(orderId));
        Assert.Empty(h.Bus.PublishedOf<ChargePayment>(m => m.OrderId == orderId));
        Assert.Empty(h.Bus.PublishedOf<ReleaseStock>(m => m.OrderId == orderId));
    }

    [Fact]
    public async Task Declined_payment_releases_the_stock_then_cancels()
    {
        await using var h = await OrderSagaHarness.StartAsync();
        var orderId = await ChargingAsync(h);

        await h.Bus.PublishAndSettleAsync(new PaymentDeclined(orderId, "customer 'c-1' is blocked"));
        Assert.NotNull(await h.Saga.Exists(orderId, m => m.Compensating));
        Assert.Single(h.Bus.PublishedOf<ReleaseStock>(m => m.OrderId == orderId));
        // Not cancelled before the stock is back.
        Assert.Empty(h.Bus.PublishedOf<OrderCreateCompleted>(m => m.OrderId == orderId));

        await h.Bus.PublishAndSettleAsync(new StockReleased(orderId));
        Assert.NotNull(await h.Saga.Exists(orderId, m => m.Cancelled));

        var failed = Assert.Single(h.Bus.PublishedOf<OrderCreateCompleted>(m => m.OrderId == orderId));
        Assert.Equal("payment declined: customer 'c-1' is blocked", failed.Error);
        Assert.Equal(OrderCreateStatus.Failed, failed.Status);
        Assert.Equal([K.Submitted, K.StockReserved, K.PaymentDeclined, K.StockReleased, K.Cancelled], h.LifecycleKinds(orderId));
        Assert.Empty(h.Bus.PublishedOf<ShipOrder>(m => m.OrderId == orderId));
    }

    [Fact]
    public async Task Duplicates_in_every_step_publish_nothing_twice()
    {
        await using var h = await OrderSagaHarness.StartAsync();
        var orderId = await SubmitAsync(h);
        await h.Bus.PublishAndSettleAsync(new OrderSubmitted(orderId, "c-2", [new("laptop", 1)], DateTimeOffset.UnixEpoch));
        Assert.Single(h.Bus.PublishedOf<ReserveStock>(m => m.OrderId == orderId));
        Assert.Equal("c-1", h.Instance(orderId)!.CustomerId);

        await h.Bus.PublishAndSettleAsync(new StockReserved(orderId, 27.3m));
        await h.Bus.PublishAndSettleAsync(new StockReserved(orderId, 99m));
        await h.Bus.PublishAndSettleAsync(new StockUnavailable(orderId, "late"));
        Assert.Equal(nameof(OrderStateMachine.Charging), h.Instance(orderId)!.CurrentState);
        Assert.Single(h.Bus.PublishedOf<ChargePayment>(m => m.OrderId == orderId));
        Assert.Equal(27.3m, h.Instance(orderId)!.Amount);

        await h.Bus.PublishAndSettleAsync(new PaymentCharged(orderId, 27.3m));
        await h.Bus.PublishAndSettleAsync(new PaymentCharged(orderId, 27.3m));
        await h.Bus.PublishAndSettleAsync(new PaymentDeclined(orderId, "late"));
        Assert.Equal(nameof(OrderStateMachine.Shipping), h.Instance(orderId)!.CurrentState);
        Assert.Single(h.Bus.PublishedOf<ShipOrder>(m => m.OrderId == orderId));
        Assert.Empty(h.Bus.PublishedOf<ReleaseStock>(m => m.OrderId == orderId));

        await h.Bus.PublishAndSettleAsync(new OrderShipped(orderId, "TRK-1"));
        await h.Bus.PublishAndSettleAsync(new OrderShipped(orderId, "TRK-2"));
        await h.Bus.PublishAndSettleAsync(new StockReleased(orderId));
        Assert.Equal(nameof(OrderStateMachine.Completed), h.Instance(orderId)!.CurrentState);
        Assert.Equal("TRK-1", h.Instance(orderId)!.TrackingNumber);
        Assert.Single(h.Bus.PublishedOf<OrderCreateCompleted>(m => m.OrderId == orderId));
        Assert.Equal([K.Submitted, K.StockReserved, K.PaymentCharged, K.Shipped, K.Completed], h.LifecycleKinds(orderId));
    }

    [Fact]
    public async Task While_compensating_and_after_cancel_late_replies_change_nothing()
    {
        await using var h = await OrderSagaHarness.StartAsync();
        var orderId = await ChargingAsync(h);
        await h.Bus.PublishAndSettleAsync(new PaymentDeclined(orderId, "too much"));

        await h.Bus.PublishAndSettleAsync(new PaymentCharged(orderId, 27.3m));
        await h.Bus.PublishAndSettleAsync(new PaymentDeclined(orderId, "again"));
        await h.Bus.PublishAndSettleAsync(new OrderShipped(orderId, "TRK-X"));
        Assert.Equal(nameof(OrderStateMachine.Compensating), h.Instance(orderId)!.CurrentState);
        Assert.Single(h.Bus.PublishedOf<ReleaseStock>(m => m.OrderId == orderId));

        await h.Bus.PublishAndSettleAsync(new StockReleased(orderId));
        await h.Bus.PublishAndSettleAsync(new StockReleased(orderId));
        await h.Bus.PublishAndSettleAsync(new StockReserved(orderId, 1m));

        Assert.Equal(nameof(OrderStateMachine.Cancelled), h.Instance(orderId)!.CurrentState);
        Assert.Single(h.Bus.PublishedOf<OrderCreateCompleted>(m => m.OrderId == orderId));
        Assert.Single(h.Bus.PublishedOf<OrderLifecycleEvent>(e => e.OrderId == orderId && e.Kind == K.Cancelled));
        Assert.Empty(h.Bus.PublishedOf<ShipOrder>(m => m.OrderId == orderId));
    }

    [Fact]
    public async Task Shipping_ignores_stray_replies()
    {
        await using var h = await OrderSagaHarness.StartAsync();
        var orderId = await ShippingAsync(h);

        await h.Bus.PublishAndSettleAsync(new StockUnavailable(orderId, "late"));
        await h.Bus.PublishAndSettleAsync(new StockReleased(orderId));
        await h.Bus.PublishAndSettleAsync(new PaymentDeclined(orderId, "late"));

        Assert.Equal(nameof(OrderStateMachine.Shipping), h.Instance(orderId)!.CurrentState);
        Assert.Empty(h.Bus.PublishedOf<OrderCreateCompleted>(m => m.OrderId == orderId));
    }

    [Fact]
    public async Task Replies_for_unknown_orders_are_discarded_without_creating_instances()
    {
        await using var h = await OrderSagaHarness.StartAsync();
        var unknown = Guid.NewGuid();

        await h.Bus.PublishAndSettleAsync(new StockReserved(unknown, 1m));
        await h.Bus.PublishAndSettleAsync(new StockUnavailable(unknown, "x"));
        await h.Bus.PublishAndSettleAsync(new PaymentCharged(unknown, 1m));
        await h.Bus.PublishAndSettleAsync(new PaymentDeclined(unknown, "x"));
        await h.Bus.PublishAndSettleAsync(new StockReleased(unknown));
        await h.Bus.PublishAndSettleAsync(new OrderShipped(unknown, "TRK"));

        Assert.Null(h.Instance(unknown));
        Assert.Empty(h.Bus.PublishedOf<OrderLifecycleEvent>(_ => true));
        Assert.Empty(h.Bus.PublishedOf<OrderCreateCompleted>(_ => true));
        Assert.Empty(h.Bus.Published.Select<MassTransit.Fault>());
    }

    [Fact]
    public async Task A_payment_for_another_amount_than_the_saga_charged_is_no_success_and_is_refused()
    {
        await using var h = await OrderSagaHarness.StartAsync();
        var orderId = await ChargingAsync(h);

        await h.Bus.PublishAndSettleAsync(new PaymentCharged(orderId, 0.01m));

        Assert.Equal(nameof(OrderStateMachine.Charging), h.Instance(orderId)!.CurrentState);
        Assert.Empty(h.Bus.PublishedOf<ShipOrder>(m => m.OrderId == orderId));
        var refused = Assert.Single(h.Bus.Published.Select<MassTransit.Fault<PaymentCharged>>()).Context.Message;
        var reason = Innermost(refused.Exceptions[0]);
        Assert.Equal(typeof(SagaDemo.Sagas.MessageRefusedException).FullName, reason.ExceptionType);
        Assert.Contains("is for 0.01, but the saga charged 27.3", reason.Message);
        // Refused at once: the endpoint's retries would only hear the same amount again.
        Assert.Single(h.Bus.Consumed.Select<PaymentCharged>(m => m.Context.Message.Amount == 0.01m));

        // The payment service's real answer still completes the order.
        await h.Bus.PublishAndSettleAsync(new PaymentCharged(orderId, 27.3m));
        Assert.NotNull(await h.Saga.Exists(orderId, m => m.Shipping));
    }

    static MassTransit.ExceptionInfo Innermost(MassTransit.ExceptionInfo info) => info.InnerException is { } inner ? Innermost(inner) : info;

    [Theory]
    [InlineData("0")]
    [InlineData("-999.50")]
    [InlineData("79228162514264337593543950335")]
    public async Task A_reservation_with_an_amount_no_order_can_have_is_refused(string amount)
    {
        await using var h = await OrderSagaHarness.StartAsync();
        var orderId = await SubmitAsync(h);

        await h.Bus.PublishAndSettleAsync(new StockReserved(orderId, decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture)));

        Assert.Equal(nameof(OrderStateMachine.Reserving), h.Instance(orderId)!.CurrentState);
        Assert.Empty(h.Bus.PublishedOf<ChargePayment>(m => m.OrderId == orderId));
        Assert.Single(h.Bus.Published.Select<MassTransit.Fault<StockReserved>>());
    }
}
