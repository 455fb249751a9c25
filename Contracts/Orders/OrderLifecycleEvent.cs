namespace SagaDemo.Contracts.Orders;

/// <summary>
/// One step of an order's life, topic <c>order</c>. A single schema for the whole topic, like the
/// original Go demo, so any Kafka client can read it; <see cref="Kind"/> says which step.
/// </summary>
public sealed record OrderLifecycleEvent(
    Guid OrderId,
    string CustomerId,
    string Kind,
    decimal? Amount,
    string? Reason,
    DateTimeOffset OccurredAt);

/// <summary>Values of <see cref="OrderLifecycleEvent.Kind"/>; completed and cancelled are final.</summary>
public static class OrderLifecycleKind
{
    public const string Submitted = "submitted";
    public const string StockReserved = "stock-reserved";
    public const string PaymentCharged = "payment-charged";
    public const string PaymentDeclined = "payment-declined";
    public const string StockReleased = "stock-released";
    public const string Shipped = "shipped";
    public const string Completed = "completed";
    public const string Cancelled = "cancelled";
}
