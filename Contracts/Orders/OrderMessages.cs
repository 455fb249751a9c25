namespace SagaDemo.Contracts.Orders;

// Order flow. Every message is keyed by OrderId, so all records of one order stay in one
// partition and in order. An order is created by one operation: OrderId == OperationId.

public sealed record OrderItem(string Sku, int Quantity);

/// <summary>Operations API -> order saga, topic <c>order-create</c>.</summary>
public sealed record OrderSubmitted(Guid OrderId, string CustomerId, IReadOnlyList<OrderItem> Items, DateTimeOffset SubmittedAt);

/// <summary>Order saga -> operations API, topic <c>order-create-response</c>.</summary>
public sealed record OrderCreateCompleted(Guid OrderId, string Status, decimal? Amount, string? TrackingNumber, string? Error);

/// <summary>Values of <see cref="OrderCreateCompleted.Status"/>.</summary>
public static class OrderCreateStatus
{
    public const string Completed = "completed";
    public const string Failed = "failed";
}

/// <summary>
/// Order service -> order saga, topic <c>order-timeout</c>: raised by the service's deadline watcher when the step
/// the order waits in got no reply within <c>OrderFulfilment:StepTimeout</c>, at <paramref name="FiredAt"/> by the
/// watcher's clock. The saga acts on it only once its own deadline has passed.
/// </summary>
public sealed record OrderTimedOut(Guid OrderId, DateTimeOffset FiredAt);
