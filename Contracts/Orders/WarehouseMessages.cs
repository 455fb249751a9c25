namespace SagaDemo.Contracts.Orders;

// Commands to the warehouse share topic "warehouse-command" and its replies share
// "warehouse-event", so the commands of one order (reserve, then release or ship) keep their order.

public sealed record ReserveStock(Guid OrderId, IReadOnlyList<OrderItem> Items);

public sealed record ReleaseStock(Guid OrderId);

public sealed record ShipOrder(Guid OrderId);

/// <summary>Every item was reserved; <see cref="Amount"/> is the order's price from the catalog.</summary>
public sealed record StockReserved(Guid OrderId, decimal Amount);

/// <summary>Nothing was reserved; <see cref="Reason"/> names the SKU that fell short.</summary>
public sealed record StockUnavailable(Guid OrderId, string Reason);

public sealed record StockReleased(Guid OrderId);

public sealed record OrderShipped(Guid OrderId, string TrackingNumber);
