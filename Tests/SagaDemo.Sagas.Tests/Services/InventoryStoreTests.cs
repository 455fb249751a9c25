using Microsoft.Extensions.Options;
using SagaDemo.Contracts.Orders;
using SagaDemo.Services.Warehouse;

namespace SagaDemo.Sagas.Tests.Services;

public sealed class InventoryStoreTests
{
    static InMemoryInventoryStore Store(params CatalogItem[] catalog) =>
        new(Options.Create(new WarehouseOptions { Catalog = [.. catalog] }));

    static CatalogItem Item(string sku, decimal price, int stock) => new() { Sku = sku, Name = sku, UnitPrice = price, Stock = stock };

    static async Task<StockLevel> Level(InMemoryInventoryStore store, string sku) =>
        (await store.ListAsync(CancellationToken.None)).Single(l => l.Sku == sku);

    [Fact]
    public async Task Reserves_everything_and_prices_the_order()
    {
        var store = Store(Item("a", 2.5m, 10), Item("b", 10m, 1));

        var outcome = await store.ReserveAsync(Guid.NewGuid(), [new("a", 2), new("b", 1), new("a", 1)], CancellationToken.None);

        Assert.Equal(new ReservationOutcome(true, 17.5m, null), outcome);
        Assert.Equal(new StockLevel("a", "a", 2.5m, 10, 3), await Level(store, "a"));
        Assert.Equal(new StockLevel("b", "b", 10m, 1, 1), await Level(store, "b"));
    }

    [Fact]
    public async Task Reserves_nothing_when_one_item_falls_short()
    {
        var store = Store(Item("a", 1m, 10), Item("b", 1m, 1));

        var outcome = await store.ReserveAsync(Guid.NewGuid(), [new("a", 5), new("b", 2)], CancellationToken.None);

        Assert.False(outcome.Reserved);
        Assert.Equal("SKU 'b': 2 requested, 1 available", outcome.Reason);
        Assert.Equal(0, (await Level(store, "a")).Reserved);
        Assert.Equal(0, (await Level(store, "b")).Reserved);
    }

    [Fact]
    public async Task Unknown_sku_is_unavailable_and_named()
    {
        var store = Store(Item("a", 1m, 10));
        var outcome = await store.ReserveAsync(Guid.NewGuid(), [new("a", 1), new("nope", 1)], CancellationToken.None);
        Assert.Equal(new ReservationOutcome(false, 0m, "unknown SKU 'nope'"), outcome);
    }

    [Fact]
    public async Task Reserving_the_same_order_twice_reserves_once_and_answers_the_same()
    {
        var store = Store(Item("a", 1m, 3));
        var orderId = Guid.NewGuid();

        var first = await store.ReserveAsync(orderId, [new("a", 2)], CancellationToken.None);
        var second = await store.ReserveAsync(orderId, [new("a", 2)], CancellationToken.None);

        Assert.Equal(first, second);
        Assert.Equal(2, (await Level(store, "a")).Reserved);
    }

    [Fact]
    public async Task An_unavailable_order_stays_unavailable_when_redelivered_after_stock_appears()
    {
        var store = Store(Item("a", 1m, 1));
        var blocker = Guid.NewGuid();
        var orderId = Guid.NewGuid();
        await store.ReserveAsync(blocker, [new("a", 1)], CancellationToken.None);
        var first = await store.ReserveAsync(orderId, [new("a", 1)], CancellationToken.None);
        await store.ReleaseAsync(blocker, CancellationToken.None);

        Assert.Equal(first, await store.ReserveAsync(orderId, [new("a", 1)], CancellationToken.None));
        Assert.Equal(0, (await Level(store, "a")).Reserved);
    }

    [Fact]
    public async Task Release_returns_the_reservation_once()
    {
        var store = Store(Item("a", 1m, 5));
        var orderId = Guid.NewGuid();
        await store.ReserveAsync(orderId, [new("a", 4)], CancellationToken.None);

        await store.ReleaseAsync(orderId, CancellationToken.None);
        await store.ReleaseAsync(orderId, CancellationToken.None);
        await store.ReleaseAsync(Guid.NewGuid(), CancellationToken.None);

        Assert.Equal(new StockLevel("a", "a", 1m, 5, 0), await Level(store, "a"));
    }

    [Fact]
    public async Task Ship_takes_the_reservation_out_of_stock_once()
    {
        var store = Store(Item("a", 1m, 5));
        var orderId = Guid.NewGuid();
        await store.ReserveAsync(orderId, [new("a", 2)], CancellationToken.None);

        await store.ShipAsync(orderId, CancellationToken.None);
        await store.ShipAsync(orderId, CancellationToken.None);
        await store.ReleaseAsync(orderId, CancellationToken.None);

        Assert.Equal(new StockLevel("a", "a", 1m, 3, 0), await Level(store, "a"));
    }

    [Fact]
    public async Task Shipping_without_a_reservation_fails()
    {
        var store = Store(Item("a", 1m, 5));
        var released = Guid.NewGuid();
        await store.ReserveAsync(released, [new("a", 1)], CancellationToken.None);
        await store.ReleaseAsync(released, CancellationToken.None);

        await Assert.ThrowsAsync<OrderNotReservedException>(() => store.ShipAsync(Guid.NewGuid(), CancellationToken.None));
        await Assert.ThrowsAsync<OrderNotReservedException>(() => store.ShipAsync(released, CancellationToken.None));
        Assert.Equal(5, (await Level(store, "a")).OnHand);
    }

    [Fact]
    public async Task Parallel_reservations_never_oversell()
    {
        const int stock = 25;
        var store = Store(Item("a", 1m, stock), Item("b", 1m, 1000));
        var orders = Enumerable.Range(0, 200).Select(_ => Guid.NewGuid()).ToArray();

        var outcomes = await Task.WhenAll(orders.Select(id => Task.Run(() =>
            store.ReserveAsync(id, [new OrderItem("b", 1), new OrderItem("a", 1)], CancellationToken.None))));

        Assert.Equal(stock, outcomes.Count(o => o.Reserved));
        Assert.Equal(new StockLevel("a", "a", 1m, stock, stock), await Level(store, "a"));
        // All or nothing: b is held only for the orders that got their a.
        Assert.Equal(stock, (await Level(store, "b")).Reserved);

        await Task.WhenAll(orders.Select(id => Task.Run(async () =>
        {
            await store.ReleaseAsync(id, CancellationToken.None);
            await store.ReleaseAsync(id, CancellationToken.None);
        })));
        Assert.Equal(0, (await Level(store, "a")).Reserved);
        Assert.Equal(0, (await Level(store, "b")).Reserved);
    }

    [Fact]
    public async Task Default_catalog_has_an_out_of_stock_sku_and_one_over_the_payment_limit()
    {
        var store = new InMemoryInventoryStore(Options.Create(new WarehouseOptions()));
        var levels = await store.ListAsync(CancellationToken.None);

        Assert.InRange(levels.Count, 5, 8);
        Assert.Contains(levels, l => l.OnHand == 0);
        Assert.Contains(levels, l => l.UnitPrice > new SagaDemo.Services.Payment.PaymentOptions().MaxOrderAmount && l.OnHand > 0);
    }

    [Fact]
    public void Tracking_numbers_are_stable_per_order()
    {
        var orderId = Guid.NewGuid();
        Assert.Equal(TrackingNumbers.For(orderId), TrackingNumbers.For(orderId));
        Assert.NotEqual(TrackingNumbers.For(orderId), TrackingNumbers.For(Guid.NewGuid()));
        Assert.Matches("^TRK-[0-9A-F]{16}$", TrackingNumbers.For(orderId));
    }
}
