using MassTransit;
using SagaDemo.Kafka.Topology;
using SagaDemo.Persistence.Schema;

namespace SagaDemo.Host.RoleModules;

/// <summary>
/// One service the host can run, declared in one file: its name (also its Kafka principal and the key that signs its
/// topics), the consumer groups it joins and the topics each reads, the topics it produces with their message types,
/// its PostgreSQL schema, and its wiring (services with their storage, sagas, HTTP endpoints). The composition loops
/// over the roles a process runs; nothing else names a role.
/// </summary>
public abstract class Role
{
    public abstract string Name { get; }

    /// <summary>The consumer groups (each also the name of its receive endpoint) and what they read.</summary>
    public virtual IReadOnlyList<ConsumerGroup> ConsumerGroups => [];

    /// <summary>The topics only this role writes, signed with its key.</summary>
    public virtual IReadOnlyList<TopicDefinition> Produces => [];

    /// <summary>Where the role keeps its state in PostgreSQL; null when it keeps none.</summary>
    public virtual SchemaDefinition? Schema => null;

    /// <summary>Its services and their storage: PostgreSQL when <see cref="RoleContext.Postgres"/>, else in memory.</summary>
    public virtual void AddServices(RoleContext context) { }

    /// <summary>Its sagas (service consumers come from <see cref="ConsumerGroups"/>).</summary>
    public virtual void AddSagas(IBusRegistrationConfigurator bus, RoleContext context) { }

    /// <summary>Middleware of its own, added before any route.</summary>
    public virtual void UseMiddleware(WebApplication app) { }

    /// <summary>Its HTTP routes, inside the group every business route shares.</summary>
    public virtual void MapEndpoints(IEndpointRouteBuilder business, IConfiguration configuration) { }

    /// <summary>A topic of this role; the first message type is read for a record without a type header.</summary>
    protected TopicDefinition Topic(string name, params Type[] messageTypes) => new(name, messageTypes, Name);

    /// <summary>A topic of this role that any Kafka client may write too: a way into the system.</summary>
    protected TopicDefinition EntryTopic(string name, params Type[] messageTypes) => new(name, messageTypes, Name, IsEntry: true);
}

/// <summary>
/// A Kafka consumer group: the topics it reads and the service consumers on its receive endpoint (none for a saga's,
/// whose role registers the saga). Service consumers run in their role's PostgreSQL transaction when it has one;
/// with <paramref name="GroupCommit"/> (consumers whose stores only write blindly: an insert that may find its row)
/// many messages share one group-committed transaction instead of a transaction each.
/// </summary>
public sealed record ConsumerGroup(string Name, IReadOnlyList<string> Topics, IReadOnlyList<Type> Consumers, bool GroupCommit = false);

/// <summary>What a role's wiring may depend on: the process's configuration, transport and storage.</summary>
public sealed record RoleContext(IServiceCollection Services, IConfiguration Configuration, bool Kafka, bool Postgres);
