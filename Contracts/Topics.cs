using SagaDemo.Contracts.Orders;
using SagaDemo.Contracts.Users;

namespace SagaDemo.Contracts;

/// <summary>A Kafka topic and the message types it carries; the first is assumed for a record without a type header.</summary>
public sealed record TopicDefinition(string Name, IReadOnlyList<Type> MessageTypes);

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

    public const string OrderCreate = "order-create";
    public const string OrderCreateResponse = "order-create-response";
    public const string WarehouseCommand = "warehouse-command";
    public const string WarehouseEvent = "warehouse-event";
    public const string PaymentCommand = "payment-command";
    public const string PaymentEvent = "payment-event";
    public const string Order = "order";

    public static readonly IReadOnlyList<TopicDefinition> All =
    [
        new(UserCreate, [typeof(UserCreateRequested)]),
        new(UserApprove, [typeof(UserApprovalRequested)]),
        new(UserApproveResponse, [typeof(UserApprovalCompleted)]),
        new(UserCreateResponse, [typeof(UserCreateCompleted)]),
        new(UserStore, [typeof(StoreUser)]),
        new(UserStoreResponse, [typeof(UserStored)]),
        new(UserApprovalTimeout, [typeof(UserApprovalTimedOut)]),
        new(OrderCreate, [typeof(OrderSubmitted)]),
        new(OrderCreateResponse, [typeof(OrderCreateCompleted)]),
        new(WarehouseCommand, [typeof(ReserveStock), typeof(ReleaseStock), typeof(ShipOrder)]),
        new(WarehouseEvent, [typeof(StockReserved), typeof(StockUnavailable), typeof(StockReleased), typeof(OrderShipped)]),
        new(PaymentCommand, [typeof(ChargePayment)]),
        new(PaymentEvent, [typeof(PaymentCharged), typeof(PaymentDeclined)]),
        new(Order, [typeof(OrderLifecycleEvent)]),
    ];
}
