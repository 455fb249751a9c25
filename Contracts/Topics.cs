namespace SagaDemo.Contracts;

/// <summary>
/// Every topic name, defined once. Which messages each carries and which service writes it is declared by the role
/// that produces it (Host/SagaDemo.Host/RoleModules).
/// </summary>
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
}
