using SagaDemo.Contracts.Orders;
using SagaDemo.Contracts.Users;

namespace SagaDemo.Contracts;

/// <summary>
/// A Kafka topic and the message types it carries; the first is assumed for a record without a type header.
/// <paramref name="Producer"/> is the one service that writes it (null: no service claims it, anyone may write);
/// an <paramref name="IsEntry"/> topic is written by that service but open to any client as well, the way into
/// the system for Kafka clients (kcat and the like).
/// </summary>
public sealed record TopicDefinition(string Name, IReadOnlyList<Type> MessageTypes, string? Producer = null, bool IsEntry = false);

/// <summary>Every topic name, defined once.</summary>
public static class Topics
{
    public const string UserCreate = "user-create";
    public const string UserApprove = "user-approve";
    public const string UserApproveResponse = "user-approve-response";
    public const string UserCreateResponse = "user-create-response";
    public const string UserStore = "user-store";
    public const string UserStoreResponse = "user-store-response";
    public const string UserApprovalTimeout = "user-approval-timeout";
    public const string UserApproveReceived = "user-approve-received";

    public const string OrderCreate = "order-create";
    public const string OrderCreateResponse = "order-create-response";
    public const string WarehouseCommand = "warehouse-command";
    public const string WarehouseEvent = "warehouse-event";
    public const string PaymentCommand = "payment-command";
    public const string PaymentEvent = "payment-event";
    public const string Order = "order";
    public const string OrderTimeout = "order-timeout";

    public static readonly IReadOnlyList<TopicDefinition> All =
    [
        new(UserCreate, [typeof(UserCreateRequested)], TopicProducers.Api, IsEntry: true),
        new(UserApprove, [typeof(UserApprovalRequested)], TopicProducers.Users),
        new(UserApproveResponse, [typeof(UserApprovalCompleted)], TopicProducers.Approval),
        new(UserCreateResponse, [typeof(UserCreateCompleted)], TopicProducers.Users),
        new(UserStore, [typeof(StoreUser)], TopicProducers.Users),
        new(UserStoreResponse, [typeof(UserStored)], TopicProducers.Users),
        new(UserApprovalTimeout, [typeof(UserApprovalTimedOut)], TopicProducers.Users),
        new(UserApproveReceived, [typeof(UserApprovalReceived)], TopicProducers.Approval),
        new(OrderCreate, [typeof(OrderSubmitted)], TopicProducers.Api, IsEntry: true),
        new(OrderCreateResponse, [typeof(OrderCreateCompleted)], TopicProducers.Orders),
        new(WarehouseCommand, [typeof(ReserveStock), typeof(ReleaseStock), typeof(ShipOrder)], TopicProducers.Orders),
        new(WarehouseEvent, [typeof(StockReserved), typeof(StockUnavailable), typeof(StockReleased), typeof(OrderShipped)],
            TopicProducers.Warehouse),
        new(PaymentCommand, [typeof(ChargePayment)], TopicProducers.Orders),
        new(PaymentEvent, [typeof(PaymentCharged), typeof(PaymentDeclined)], TopicProducers.Payment),
        new(Order, [typeof(OrderLifecycleEvent)], TopicProducers.Orders),
        new(OrderTimeout, [typeof(OrderTimedOut)], TopicProducers.Orders),
    ];
}
