using SagaDemo.Load.Workload;

namespace SagaDemo.Load.Measurement;

/// <summary>
/// How many Kafka records one finished operation produces, counted from the sagas and services,
/// for when the target exposes no produced-records counter. It is an estimate: it ignores
/// redeliveries, retries and dead-letter records.
/// </summary>
public static class KafkaEventEstimate
{
    /// <summary>user-create, user-approve, user-approve-received, user-approve-response, user-store, user-store-response, user-create-response.</summary>
    public const int UserCompleted = 7;

    /// <summary>Denied or timed out: user-create, user-approve, user-approve-received, user-approve-response (or user-approval-timeout), user-create-response.</summary>
    public const int UserFailed = 5;

    /// <summary>
    /// order-create; warehouse-command ReserveStock, ShipOrder; warehouse-event StockReserved, OrderShipped;
    /// payment-command ChargePayment; payment-event PaymentCharged; five lifecycle events on topic
    /// order (Submitted, StockReserved, PaymentCharged, Shipped, Completed); order-create-response.
    /// </summary>
    public const int OrderCompleted = 13;

    /// <summary>
    /// order-create, ReserveStock, StockReserved, ChargePayment, PaymentDeclined, ReleaseStock,
    /// StockReleased, lifecycle Submitted, StockReserved, PaymentDeclined, StockReleased, Cancelled,
    /// order-create-response.
    /// </summary>
    public const int OrderPaymentDeclined = 13;

    /// <summary>order-create, ReserveStock, StockUnavailable, lifecycle Submitted and Cancelled, order-create-response.</summary>
    public const int OrderOutOfStock = 6;

    public const string Method =
        "estimate: finished operations x records per saga run (user completed 7, user denied 5, order completed 13, " +
        "order payment declined 13, order out of stock 6), counted from the state machines; redeliveries not included";

    public static int For(FlowKind flow, string? error) => (flow, error) switch
    {
        (FlowKind.User, null) => UserCompleted,
        (FlowKind.User, _) => UserFailed,
        (FlowKind.Order, null) => OrderCompleted,
        (FlowKind.Order, var e) when e.StartsWith("payment declined", StringComparison.Ordinal) => OrderPaymentDeclined,
        _ => OrderOutOfStock,
    };
}
