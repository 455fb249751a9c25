using SagaDemo.Testing;
using Microsoft.Extensions.Options;
using SagaDemo.Contracts.Orders;
using SagaDemo.Persistence.Warehouse;
using SagaDemo.Services.Warehouse;

namespace SagaDemo.Persistence.Tests.Stores;

/// <summary>What every <see cref="IInventoryStore"/> does, run against each implementation.</summary>
public abstract class InventoryStoreContract
{
    protected abstract Task<IInventoryStore> NewStoreAsync(params CatalogItem[] catalog);

    static CatalogItem Item(string sku, decimal price, int stock) => new() { Sku = sku, Name = sku, UnitPrice = price, Stock = stock };

    static async Task<StockLevel> Level(IInventoryStore store, string sku) =>
        (await store.ListAsync(CancellationToken.None)).Single(l => l.Sku == sku);

    [Fact]
    public async Task Reserves_everything_and_prices_the_order()
    {
        var store = await NewStoreAsync(Item("a", 2.5m, 10), Item("b", 10m, 1));

        var outcome = await store.ReserveAsync(Guid.NewGuid(), [new("a", 2), new("b", 1), new("a", 1)], default);

        Assert.Equal(new ReservationOutcome(true, 17.5m, null), outcome);
        Assert.Equal(new StockLevel("a", "a", 2.5m, 10, 3), await Level(store, "a"));
        Assert.Equal(new StockLevel("b", "b", 10m, 1, 1), await Level(store, "b"));
    }

    [Fact]
    public async Task Reserves_nothing_when_one_item_falls_short_and_names_unknown_skus()
    {
        var store = await NewStoreAsync(Item("a", 1m, 10), Item("b", 1m, 1));

        var outcome = await store.ReserveAsync(Guid.NewGuid(), [new("a", 5), new("b", 2)], default);
        var unknown = await store.ReserveAsync(Guid.NewGuid(), [new("a", 1), new("nope", 1)], default);

        Assert.Equal(new ReservationOutcome(false, 0m, "SKU 'b': 2 requested, 1 available"), outcome);
        Assert.Equal(new ReservationOutcome(false, 0m, "unknown SKU 'nope'"), unknown);
        Assert.Equal(0, (await Level(store, "a")).Reserved);
        Assert.Equal(0, (await Level(store, "b")).Reserved);
    }

    [Fact]
    public async Task Reserving_the_same_order_twice_reserves_once_and_answers_the_same()
    {
        var store = await NewStoreAsync(Item("a", 1m, 3));
        var orderId = Guid.NewGuid();

        var first = await store.ReserveAsync(orderId, [new("a", 2)], default);
        var second = await store.ReserveAsync(orderId, [new("a", 2)], default);

        Assert.Equal(first, second);
        Assert.Equal(2, (await Level(store, "a")).Reserved);
    }

    [Fact]
    public async Task An_unavailable_order_stays_unavailable_when_redelivered_after_stock_appears()
    {
        var store = await NewStoreAsync(Item("a", 1m, 1));
        var blocker = Guid.NewGuid();
        var orderId = Guid.NewGuid();
        await store.ReserveAsync(blocker, [new("a", 1)], default);
        var first = await store.ReserveAsync(orderId, [new("a", 1)], default);
        await store.ReleaseAsync(blocker, default);

        Assert.Equal(first, await store.ReserveAsync(orderId, [new("a", 1)], default));
        Assert.Equal(0, (await Level(store, "a")).Reserved);
    }

    [Fact]
    public async Task Release_returns_the_reservation_once_and_ship_takes_it_out_once()
    {
        var store = await NewStoreAsync(Item("a", 1m, 5));
        Guid released = Guid.NewGuid(), shipped = Guid.NewGuid();
        await store.ReserveAsync(released, [new("a", 1)], default);
        await store.ReserveAsync(shipped, [new("a", 2)], default);

        await store.ReleaseAsync(released, default);
        await store.ReleaseAsync(released, default);
        await store.ReleaseAsync(Guid.NewGuid(), default);
        await store.ShipAsync(shipped, default);
        await store.ShipAsync(shipped, default);
        await store.ReleaseAsync(shipped, default);

        Assert.Equal(new StockLevel("a", "a", 1m, 3, 0), await Level(store, "a"));
    }

    [Fact]
    public async Task Shipping_without_a_reservation_fails()
    {
        var store = await NewStoreAsync(Item("a", 1m, 5));
        var released = Guid.NewGuid();
        await store.ReserveAsync(released, [new("a", 1)], default);
        await store.ReleaseAsync(released, default);

        await Assert.ThrowsAsync<OrderNotReservedException>(() => store.ShipAsync(Guid.NewGuid(), default));
        await Assert.ThrowsAsync<OrderNotReservedException>(() => store.ShipAsync(released, default));
        Assert.Equal(5, (await Level(store, "a")).OnHand);
    }

    [Fact]
    public async Task Parallel_reservations_on_limited_stock_never_oversell_and_stay_all_or_nothing()
    {
        const int stock = 25;
        var store = await NewStoreAsync(Item("a", 1m, stock), Item("b", 1m, 1000), Item("c", 1m, 1000));
        var orders = Enumerable.Range(0, 120).Select(_ => Guid.NewGuid()).ToArray();

        // Lines in different SKU orders, and every order delivered twice at once.
        var outcomes = await Task.WhenAll(orders.SelectMany((id, i) => Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
            store.ReserveAsync(id, i % 2 == 0
                ? [new OrderItem("c", 1), new OrderItem("b", 1), new OrderItem("a", 1)]
                : [new OrderItem("a", 1), new OrderItem("b", 1), new OrderItem("c", 1)], default)))));

        var byOrder = outcomes.Chunk(2).ToArray();
        Assert.All(byOrder, pair => Assert.Equal(pair[0], pair[1]));
        Assert.Equal(stock, byOrder.Count(pair => pair[0].Reserved));
        Assert.Equal(new StockLevel("a", "a", 1m, stock, stock), await Level(store, "a"));
        Assert.Equal(stock, (await Level(store, "b")).Reserved);
        Assert.Equal(stock, (await Level(store, "c")).Reserved);

        await Task.WhenAll(orders.Select((id, i) => Task.Run(() => i % 3 == 0
            ? store.ReleaseAsync(id, default)
            : byOrder[i][0].Reserved ? store.ShipAsync(id, default) : store.ReleaseAsync(id, default))));
        var shippedA = orders.Where((_, i) => i % 3 != 0 && byOrder[i][0].Reserved).Count();
        var a = await Level(store, "a");
        Assert.Equal((stock - shippedA, 0), (a.OnHand, a.Reserved));
        Assert.True(a.OnHand >= 0);
    }
}

public sealed class InMemoryInventoryStoreTests : InventoryStoreContract
{
    protected override Task<IInventoryStore> NewStoreAsync(params CatalogItem[] catalog) =>
        Task.FromResult<IInventoryStore>(new InMemoryInventoryStore(Options.Create(new WarehouseOptions { Catalog = [.. catalog] })));
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresInventoryStoreTests(PostgresServerFixture fixture) : InventoryStoreContract, IAsyncLifetime
{
    readonly FreshSchemas _schemas = new(fixture);

    protected override async Task<IInventoryStore> NewStoreAsync(params CatalogItem[] catalog)
    {
        var (dataSource, schema) = await _schemas.CreateAsync("wh", s => WarehouseTables.StockAndReservations(2, s));
        return new PostgresInventoryStore(dataSource, Options.Create(new WarehouseOptions { Catalog = [.. catalog] }), schema);
    }

    [Fact]
    public async Task Stock_survives_a_new_store_instance_and_the_catalog_does_not_reset_it()
    {
        var (dataSource, schema) = await _schemas.CreateAsync("wh", s => WarehouseTables.StockAndReservations(2, s));
        var catalog = Options.Create(new WarehouseOptions { Catalog = [new() { Sku = "a", Name = "a", UnitPrice = 1m, Stock = 5 }] });
        var orderId = Guid.NewGuid();
        await new PostgresInventoryStore(dataSource, catalog, schema).ReserveAsync(orderId, [new("a", 2)], default);

        var restarted = new PostgresInventoryStore(dataSource, catalog, schema);
        await restarted.ShipAsync(orderId, default);

        Assert.Equal(new StockLevel("a", "a", 1m, 3, 0), Assert.Single(await restarted.ListAsync(default)));
    }

    public Task InitializeAsync() => Task.CompletedTask;
    public async Task DisposeAsync() => await _schemas.DisposeAsync();
}
