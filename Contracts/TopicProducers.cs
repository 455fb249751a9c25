namespace SagaDemo.Contracts;

/// <summary>
/// The services that produce topics, by the name of the role that runs them (Roles in the host). Each topic has
/// exactly one; its records are signed with that service's key and only believed with that signature.
/// </summary>
public static class TopicProducers
{
    public const string Api = "api";
    public const string Users = "users";
    public const string Approval = "approval";
    public const string Orders = "orders";
    public const string Warehouse = "warehouse";
    public const string Payment = "payment";
}
