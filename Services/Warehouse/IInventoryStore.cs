using SagaDemo.Contracts.Orders;

namespace SagaDemo.Services.Warehouse;

/// <summary>A SKU's stock: <see cref="Reserved"/> of <see cref="OnHand"/> is held for orders not yet shipped.</summary>
public sealed record StockLevel(string Sku, string Name, decimal UnitPrice, int OnHand, int Reserved);

/// <summary>The warehouse's answer to a reservation: reserved with the order's amount, or not, with why.</summary>
public sealed record ReservationOutcome(bool Reserved, decimal Amount, string? Reason);

/// <summary>Shipping was asked for an order that holds no reservation (never reserved, out of stock, released).</summary>
public sealed class OrderNotReservedException(Guid orderId)
    : InvalidOperationException($"Order {orderId} holds no reservation to ship.");

/// <summary>
/// Stock and reservations. Every operation is atomic and idempotent per order: a repeated call
/// returns the first call's answer and changes nothing.
/// </summary>
public interface IInventoryStore
{
    /// <summary>Reserves every item or none; unknown SKUs and short stock make the whole order unavailable.</summary>
    Task<ReservationOutcome> ReserveAsync(Guid orderId, IReadOnlyList<OrderItem> items, CancellationToken cancellationToken);

    /// <summary>Returns a reservation to stock; an order without one has nothing to release.</summary>
    Task ReleaseAsync(Guid orderId, CancellationToken cancellationToken);

    /// <summary>Takes the reserved items out of stock for good.</summary>
    /// <exception cref="OrderNotReservedException">the order holds no reservation and was never shipped.</exception>
    Task ShipAsync(Guid orderId, CancellationToken cancellationToken);

    Task<IReadOnlyList<StockLevel>> ListAsync(CancellationToken cancellationToken);
}
