using SagaDemo.Contracts.Orders;
using SagaDemo.Services.Hosting.Retention;

namespace SagaDemo.Services.Warehouse;

/// <summary>
/// Inventory in process memory. One lock makes each all-or-nothing change atomic. A reservation that is over (shipped,
/// released, or never made) is kept for retention, so a redelivered command finds what the first did, then forgotten;
/// one that still holds stock stays.
/// </summary>
public sealed class InMemoryInventoryStore : IInventoryStore, IRetainedStore
{
    enum Phase { Reserved, Released, Shipped, Unavailable }

    sealed class Stock(CatalogItem item)
    {
        public string Sku { get; } = item.Sku;
        public string Name { get; } = item.Name;
        public decimal UnitPrice { get; } = item.UnitPrice;
        public int OnHand { get; set; } = item.Stock;
        public int Reserved { get; set; }
        public int Available => OnHand - Reserved;
    }

    /// <param name="Since">When it reached <paramref name="Phase"/>.</param>
    sealed record Reservation(Phase Phase, IReadOnlyDictionary<string, int> Lines, ReservationOutcome Outcome, DateTimeOffset Since);

    readonly Lock _lock = new();
    readonly Dictionary<string, Stock> _stock;
    readonly Dictionary<Guid, Reservation> _reservations = [];
    readonly TimeProvider _clock;

    public InMemoryInventoryStore(IOptions<WarehouseOptions> options, TimeProvider? clock = null)
    {
        _clock = clock ?? TimeProvider.System;
        _stock = options.Value.EffectiveCatalog.ToDictionary(i => i.Sku, i => new Stock(i), StringComparer.Ordinal);
    }

    public Task<ReservationOutcome> ReserveAsync(Guid orderId, IReadOnlyList<OrderItem> items, CancellationToken cancellationToken)
    {
        // The same SKU may appear on several lines; stock is checked against their sum.
        var lines = items.GroupBy(i => i.Sku, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Sum(i => i.Quantity));
        lock (_lock)
        {
            if (_reservations.TryGetValue(orderId, out var existing))
                return Task.FromResult(existing.Outcome);

            var shortage = Shortage(lines);
            if (shortage is not null)
            {
                var unavailable = new ReservationOutcome(false, 0m, shortage);
                _reservations[orderId] = new Reservation(Phase.Unavailable, lines, unavailable, _clock.GetUtcNow());
                return Task.FromResult(unavailable);
            }

            decimal amount = 0;
            foreach (var (sku, quantity) in lines)
            {
                var stock = _stock[sku];
                stock.Reserved += quantity;
                amount += stock.UnitPrice * quantity;
            }
            var reserved = new ReservationOutcome(true, amount, null);
            _reservations[orderId] = new Reservation(Phase.Reserved, lines, reserved, _clock.GetUtcNow());
            return Task.FromResult(reserved);
        }
    }

    public Task ReleaseAsync(Guid orderId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (_reservations.TryGetValue(orderId, out var r) && r.Phase == Phase.Reserved)
            {
                foreach (var (sku, quantity) in r.Lines)
                    _stock[sku].Reserved -= quantity;
                _reservations[orderId] = r with { Phase = Phase.Released, Since = _clock.GetUtcNow() };
            }
        }
        return Task.CompletedTask;
    }

    public Task ShipAsync(Guid orderId, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_reservations.TryGetValue(orderId, out var r) || r.Phase is Phase.Released or Phase.Unavailable)
                throw new OrderNotReservedException(orderId);
            if (r.Phase == Phase.Reserved)
            {
                foreach (var (sku, quantity) in r.Lines)
                {
                    _stock[sku].Reserved -= quantity;
                    _stock[sku].OnHand -= quantity;
                }
                _reservations[orderId] = r with { Phase = Phase.Shipped, Since = _clock.GetUtcNow() };
            }
        }
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<StockLevel>> ListAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            IReadOnlyList<StockLevel> levels =
            [
                .. _stock.Values.OrderBy(s => s.Sku, StringComparer.Ordinal)
                    .Select(s => new StockLevel(s.Sku, s.Name, s.UnitPrice, s.OnHand, s.Reserved)),
            ];
            return Task.FromResult(levels);
        }
    }

    public string Name => "finished stock reservations";

    public Task<int> PruneAsync(DateTimeOffset olderThan, CancellationToken cancellationToken)
    {
        lock (_lock)
            return Task.FromResult(_reservations.RemoveExpired(r => r.Phase != Phase.Reserved && r.Since < olderThan));
    }

    string? Shortage(Dictionary<string, int> lines)
    {
        foreach (var (sku, quantity) in lines)
        {
            if (!_stock.TryGetValue(sku, out var stock))
                return $"unknown SKU '{sku}'";
            if (stock.Available < quantity)
                return $"SKU '{sku}': {quantity} requested, {stock.Available} available";
        }
        return null;
    }
}
