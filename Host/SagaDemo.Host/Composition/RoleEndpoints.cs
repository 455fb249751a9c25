using MassTransit;
using SagaDemo.Host.RoleModules;
using SagaDemo.Persistence.Sagas;
using SagaDemo.Persistence.Schema;
using SagaDemo.Services.Hosting;

namespace SagaDemo.Host.Composition;

/// <summary>Where a role's consumers and sagas run: the receive endpoint of their consumer group, their repository.</summary>
public static class RoleEndpoints
{
    /// <summary>The group's service consumers, each with the shared delivery policy, on the group's receive endpoint.</summary>
    public static void AddServiceConsumers(this IBusRegistrationConfigurator bus, ConsumerGroup group)
    {
        foreach (var consumer in group.Consumers)
            bus.AddConsumer(consumer, typeof(ServiceConsumerDefinition<>).MakeGenericType(consumer))
                .Endpoint(e => e.Name = group.Name);
    }

    /// <summary>
    /// A saga on its group's receive endpoint, its instances in memory or, with PostgreSQL, in <paramref name="table"/>
    /// of the role's schema with inbox, outbox and the indexed <paramref name="deadline"/>.
    /// </summary>
    public static void StoredIn<TState>(this ISagaRegistrationConfigurator<TState> saga, string group, bool postgres,
        SchemaDefinition schema, string table, Func<TState, DateTimeOffset?> deadline)
        where TState : class, SagaStateMachineInstance, ISagaVersion
    {
        saga.Endpoint(e => e.Name = group);
        if (!postgres)
            saga.InMemoryRepository();
        else
            saga.PostgresRepository(o =>
            {
                o.Schema = schema.Name;
                o.Table = table;
                o.Deadline = deadline;
                o.UseInbox = true;
                o.UseOutbox = true;
                o.Destination = RoleCatalog.Destinations.TopicOf;
            });
    }
}
