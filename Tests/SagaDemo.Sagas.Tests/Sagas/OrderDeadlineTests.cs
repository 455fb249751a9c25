using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using SagaDemo.Contracts.Orders;
using SagaDemo.Sagas.OrderFulfilment;
using SagaDemo.Services.Hosting.Deadlines;
using SagaDemo.Services.Orders;
using SagaDemo.Sagas.Tests.Support;
using K = SagaDemo.Contracts.Orders.OrderLifecycleKind;

namespace SagaDemo.Sagas.Tests.Sagas;

/// <summary>An order whose reply never comes (dead-lettered) fails with a reason and compensates what was done.</summary>
public sealed class OrderDeadlineTests
{
    static async Task<Guid> SubmitAsync(OrderSagaHarness h)
    {
        var orderId = Guid.NewGuid();
        await h.Bus.PublishAndSettleAsync(new OrderSubmitted(orderId, "c-1", [new("book", 2)], DateTimeOffset.UnixEpoch));
        Assert.NotNull(await h.Saga.Exists(orderId, m => m.Reserving));
        return orderId;
    }

    static OrderDeadlineWatcher Watcher(OrderSagaHarness h) =>
        new(new RepositoryDeadlineSource<OrderState>(h.Provider.GetRequiredService<IQuerySagaRepository<OrderState>>(), h.Machine,
                now => s => s.StepDeadline != null && s.StepDeadline < now,
                [h.Machine.Reserving, h.Machine.Charging, h.Machine.Shipping, h.Machine.Compensating]),
            h.Provider.GetRequiredService<IBus>(), h.Clock, Options.Create(new OrderFulfilmentOptions { DeadlineCheckInterval = TimeSpan.FromMinutes(1) }), NullLogger<OrderDeadlineWatcher>.Instance);

    [Fact]
    public async Task A_lost_payment_reply_releases_the_stock_and_fails_the_order_with_the_reason()
    {
        await using var h = await OrderSagaHarness.StartAsync();
        var watcher = Watcher(h);
        var orderId = await SubmitAsync(h);
        await h.Bus.PublishAndSettleAsync(new StockReserved(orderId, 27.3m));
        Assert.NotNull(await h.Saga.Exists(orderId, m => m.Charging));

        h.Clock.Advance(OrderSagaHarness.StepTimeout - TimeSpan.FromSeconds(1));
        Assert.Equal(0, await watcher.FireDueAsync(CancellationToken.None));
        h.Clock.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(1, await watcher.FireDueAsync(CancellationToken.None));

        Assert.NotNull(await h.Saga.Exists(orderId, m => m.Compensating));
        Assert.Single(h.Bus.PublishedOf<ReleaseStock>(m => m.OrderId == orderId));
        Assert.Empty(h.Bus.PublishedOf<OrderCreateCompleted>(m => m.OrderId == orderId));

        await h.Bus.PublishAndSettleAsync(new StockReleased(orderId));
        Assert.NotNull(await h.Saga.Exists(orderId, m => m.Cancelled));
        var failed = Assert.Single(h.Bus.PublishedOf<OrderCreateCompleted>(m => m.OrderId == orderId));
        Assert.Equal(new OrderCreateCompleted(orderId, OrderCreateStatus.Failed, null, null, "payment timed out"), failed);
        Assert.Equal([K.Submitted, K.StockReserved, K.StockReleased, K.Cancelled], h.LifecycleKinds(orderId));

        // The lost reply turns up after all: nothing moves.
        await h.Bus.PublishAndSettleAsync(new PaymentCharged(orderId, 27.3m));
        Assert.Empty(h.Bus.PublishedOf<ShipOrder>(m => m.OrderId == orderId));
        Assert.Null(h.Instance(orderId)!.StepDeadline);
        Assert.Equal(0, await watcher.FireDueAsync(CancellationToken.None));
    }

    [Theory]
    [InlineData("Reserving", "stock reservation timed out")]
    [InlineData("Shipping", "shipping timed out")]
    public async Task Every_waiting_step_times_out_into_compensation(string step, string error)
    {
        await using var h = await OrderSagaHarness.StartAsync();
        var orderId = await SubmitAsync(h);
        if (step == "Shipping")
        {
            await h.Bus.PublishAndSettleAsync(new StockReserved(orderId, 27.3m));
            await h.Bus.PublishAndSettleAsync(new PaymentCharged(orderId, 27.3m));
            Assert.NotNull(await h.Saga.Exists(orderId, m => m.Shipping));
        }
        h.Clock.Advance(OrderSagaHarness.StepTimeout);

        await h.Bus.PublishAndSettleAsync(new OrderTimedOut(orderId, h.Clock.GetUtcNow()));
        Assert.NotNull(await h.Saga.Exists(orderId, m => m.Compensating));
        Assert.Equal(error, h.Instance(orderId)!.Error);
        Assert.Single(h.Bus.PublishedOf<ReleaseStock>(m => m.OrderId == orderId));
    }

    [Fact]
    public async Task A_release_that_never_confirms_cancels_after_its_own_timeout()
    {
        await using var h = await OrderSagaHarness.StartAsync();
        var orderId = await SubmitAsync(h);
        h.Clock.Advance(OrderSagaHarness.StepTimeout);
        await h.Bus.PublishAndSettleAsync(new OrderTimedOut(orderId, h.Clock.GetUtcNow()));
        Assert.NotNull(await h.Saga.Exists(orderId, m => m.Compensating));

        // The same timeout again (a redelivery) is stale now: compensation has its own deadline.
        await h.Bus.PublishAndSettleAsync(new OrderTimedOut(orderId, h.Clock.GetUtcNow()));
        Assert.Equal(nameof(OrderStateMachine.Compensating), h.Instance(orderId)!.CurrentState);

        h.Clock.Advance(OrderSagaHarness.StepTimeout);
        await h.Bus.PublishAndSettleAsync(new OrderTimedOut(orderId, h.Clock.GetUtcNow()));
        Assert.NotNull(await h.Saga.Exists(orderId, m => m.Cancelled));
        var failed = Assert.Single(h.Bus.PublishedOf<OrderCreateCompleted>(m => m.OrderId == orderId));
        Assert.Equal("stock reservation timed out; stock release unconfirmed", failed.Error);
        Assert.Equal([K.Submitted, K.Cancelled], h.LifecycleKinds(orderId));
    }

    [Fact]
    public async Task A_timeout_for_an_earlier_step_changes_nothing()
    {
        await using var h = await OrderSagaHarness.StartAsync();
        var orderId = await SubmitAsync(h);
        h.Clock.Advance(OrderSagaHarness.StepTimeout - TimeSpan.FromSeconds(1));
        await h.Bus.PublishAndSettleAsync(new StockReserved(orderId, 27.3m));
        h.Clock.Advance(TimeSpan.FromSeconds(2));

        // Fired for the reservation's deadline, which passed; the payment's has not.
        await h.Bus.PublishAndSettleAsync(new OrderTimedOut(orderId, h.Clock.GetUtcNow()));

        Assert.Equal(nameof(OrderStateMachine.Charging), h.Instance(orderId)!.CurrentState);
        Assert.Empty(h.Bus.PublishedOf<ReleaseStock>(m => m.OrderId == orderId));
    }

    [Fact]
    public async Task Finished_orders_hold_no_deadline()
    {
        await using var h = await OrderSagaHarness.StartAsync();
        var orderId = await SubmitAsync(h);
        await h.Bus.PublishAndSettleAsync(new StockReserved(orderId, 27.3m));
        await h.Bus.PublishAndSettleAsync(new PaymentCharged(orderId, 27.3m));
        await h.Bus.PublishAndSettleAsync(new OrderShipped(orderId, "TRK-1"));
        Assert.NotNull(await h.Saga.Exists(orderId, m => m.Completed));
        Assert.Null(h.Instance(orderId)!.StepDeadline);

        var unavailable = await SubmitAsync(h);
        await h.Bus.PublishAndSettleAsync(new StockUnavailable(unavailable, "none"));
        Assert.NotNull(await h.Saga.Exists(unavailable, m => m.Cancelled));
        Assert.Null(h.Instance(unavailable)!.StepDeadline);

        h.Clock.Advance(OrderSagaHarness.StepTimeout * 2);
        Assert.Equal(0, await Watcher(h).FireDueAsync(CancellationToken.None));
    }
}
