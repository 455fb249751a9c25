namespace SagaDemo.Contracts;

/// <summary>
/// Kafka consumer groups, one per consuming service; each is also the name of that service's
/// MassTransit receive endpoint. The first three are the original demo's.
/// </summary>
public static class ConsumerGroups
{
    public const string Operations = "operation-service";
    public const string Users = "user-service";
    public const string Approval = "user-approval-service";
    public const string UserStore = "user-store-service";
    public const string Orders = "order-service";
    public const string Warehouse = "warehouse-service";
    public const string Payment = "payment-service";
    public const string Statistics = "statistics-service";
}
