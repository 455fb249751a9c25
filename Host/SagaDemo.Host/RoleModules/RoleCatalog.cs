using SagaDemo.Kafka.Topology;
using SagaDemo.Persistence.Outbox;
using SagaDemo.Persistence.Schema;

namespace SagaDemo.Host.RoleModules;

/// <summary>Every role the host knows, and what follows from their declarations: the app's topics and consumer groups.</summary>
public static class RoleCatalog
{
    /// <summary>In the order processes list them (the api first).</summary>
    public static IReadOnlyList<Role> All { get; } =
        [new ApiRole(), new UsersRole(), new ApprovalRole(), new OrdersRole(), new WarehouseRole(), new PaymentRole(), new StatisticsRole()];

    /// <summary>Every consumer group: the role that runs it, its name, the topics it reads.</summary>
    public static IReadOnlyList<Subscription> Subscriptions { get; } =
        [.. All.SelectMany(r => r.ConsumerGroups.Select(g => new Subscription(r.Name, g.Name, g.Topics)))];

    /// <summary>The schema of each role that keeps state in PostgreSQL.</summary>
    public static IReadOnlyDictionary<string, SchemaDefinition> SchemaByRole { get; } =
        All.Where(r => r.Schema is not null).ToDictionary(r => r.Name, r => r.Schema!);

    /// <summary>The one message-type-to-topic map: every role's topics (the rider's catalog).</summary>
    public static TopicCatalog Topics { get; } = new(All.SelectMany(r => r.Produces));

    /// <summary>The same map as the outbox reads it.</summary>
    public static MessageDestinations Destinations { get; } = new(Topics.TopicByType);

    public sealed record Subscription(string Role, string Group, IReadOnlyList<string> Topics);
}
