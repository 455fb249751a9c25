using Microsoft.Extensions.Options;
using SagaDemo.Contracts.Orders;
using SagaDemo.Sagas.Tests.Support;
using SagaDemo.Services.Payment;
using SagaDemo.Services.Statistics;
using SagaDemo.Services.Warehouse;

namespace SagaDemo.Sagas.Tests.Services;

/// <summary>
/// The order path's in-memory stores remember what makes a redelivery harmless (a payment decision, a reservation, a
/// counted event) for retention and then forget it; what is still in use, and the business figures, stay.
/// </summary>
public sealed class OrderStoresRetentionTests
{
    static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);
    static readonly DateTimeOffset Cutoff = T0.AddHours(1);

    [Fact]
    public async Task Payment_decisions_are_forgotten_after_retention_only()
    {
        var store = new InMemoryPaymentStore();
        var old = await store.RecordOnceAsync(new(Guid.NewGuid(), "c", 10m, true, null, T0), default);
        var recent = await store.RecordOnceAsync(new(Guid.NewGuid(), "c", 20m, true, null, T0.AddHours(2)), default);

        Assert.Equal(1, await store.PruneAsync(Cutoff, default));

        // Within retention a second decision for the order gets the first back; past it the order is unknown.
        Assert.Same(recent, await store.RecordOnceAsync(recent with { Charged = false, Reason = "again" }, default));
        var afresh = old with { Amount = 99m };
        Assert.Same(afresh, await store.RecordOnceAsync(afresh, default));
    }

    [Fact]
    public async Task Reservations_that_are_over_are_forgotten_after_retention_and_held_ones_stay()
    {
        var clock = new ManualClock(T0);
        var store = new InMemoryInventoryStore(Options.Create(new WarehouseOptions
        {
            Catalog = [new() { Sku = "a", Name = "a", UnitPrice = 1m, Stock = 10 }],
        }), clock);
        Guid held = Guid.NewGuid(), shipped = Guid.NewGuid(), released = Guid.NewGuid(), unavailable = Guid.NewGuid(), shippedLater = Guid.NewGuid();
        foreach (var order in new[] { held, shipped, released, shippedLater })
            Assert.True((await store.ReserveAsync(order, [new OrderItem("a", 2)], default)).Reserved);
        Assert.False((await store.ReserveAsync(unavailable, [new OrderItem("a", 50)], default)).Reserved);
        await store.ShipAsync(shipped, default);
        await store.ReleaseAsync(released, default);
        clock.Advance(TimeSpan.FromHours(2));
        await store.ShipAsync(shippedLater, default);
        var levels = await store.ListAsync(default);

        Assert.Equal(3, await store.PruneAsync(Cutoff, default));

        Assert.Equal(levels, await store.ListAsync(default));
        await store.ShipAsync(shippedLater, default); // still known: a redelivered ship changes nothing
        await Assert.ThrowsAsync<OrderNotReservedException>(() => store.ShipAsync(shipped, default));
        await store.ShipAsync(held, default); // the reservation that still held stock was kept
        var stock = Assert.Single(await store.ListAsync(default));
        Assert.Equal((4, 0), (stock.OnHand, stock.Reserved));
    }

    [Fact]
    public async Task Counted_events_are_forgotten_after_retention_and_the_totals_stay()
    {
        var clock = new ManualClock(T0);
        var store = new InMemoryStatisticsStore(clock);
        Guid old = Guid.NewGuid(), recent = Guid.NewGuid();
        Assert.True(await store.RecordOnceAsync(old, OrderLifecycleKind.Submitted, null, default));
        clock.Advance(TimeSpan.FromHours(2));
        Assert.True(await store.RecordOnceAsync(recent, OrderLifecycleKind.Submitted, null, default));
        var totals = await store.GetAsync(default);

        Assert.Equal(1, await store.PruneAsync(Cutoff, default));

        Assert.Equal(totals, await store.GetAsync(default));
        Assert.False(await store.RecordOnceAsync(recent, OrderLifecycleKind.Submitted, null, default));
        Assert.True(await store.RecordOnceAsync(old, OrderLifecycleKind.Submitted, null, default));
    }
}
