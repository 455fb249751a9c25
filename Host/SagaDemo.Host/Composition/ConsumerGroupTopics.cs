using SagaDemo.Contracts;

namespace SagaDemo.Host.Composition;

/// <summary>Which topics each consumer group (receive endpoint) reads, and which role hosts it.</summary>
public static class ConsumerGroupTopics
{
    public sealed record Subscription(string Role, string Group, IReadOnlyList<string> Topics);

    public static readonly IReadOnlyList<Subscription> All =
    [
        new(Roles.Api, ConsumerGroups.Operations, [Topics.UserCreateResponse, Topics.OrderCreateResponse]),
        new(Roles.Users, ConsumerGroups.Users,
            [Topics.UserCreate, Topics.UserApproveReceived, Topics.UserApproveResponse, Topics.UserStoreResponse,
                Topics.UserApprovalTimeout]),
        new(Roles.Users, ConsumerGroups.UserStore, [Topics.UserStore]),
        new(Roles.Approval, ConsumerGroups.Approval, [Topics.UserApprove]),
        new(Roles.Orders, ConsumerGroups.Orders, [Topics.OrderCreate, Topics.WarehouseEvent, Topics.PaymentEvent, Topics.OrderTimeout]),
        new(Roles.Warehouse, ConsumerGroups.Warehouse, [Topics.WarehouseCommand]),
        new(Roles.Payment, ConsumerGroups.Payment, [Topics.PaymentCommand]),
        new(Roles.Statistics, ConsumerGroups.Statistics, [Topics.Order]),
    ];

    public static IEnumerable<Subscription> For(Roles roles) => All.Where(s => roles.Has(s.Role));
}
