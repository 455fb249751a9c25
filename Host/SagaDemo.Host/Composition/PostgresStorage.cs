using MassTransit;
using Npgsql;
using SagaDemo.Host.Http;
using SagaDemo.Host.Observability;
using SagaDemo.Host.Outbox;
using SagaDemo.Host.RoleModules;
using SagaDemo.Persistence;
using SagaDemo.Persistence.Consumers;
using SagaDemo.Persistence.GroupCommit;
using SagaDemo.Persistence.Outbox;
using SagaDemo.Persistence.Schema;
using SagaDemo.Telemetry.Health;

namespace SagaDemo.Host.Composition;

/// <summary>
/// Durable state, switched on by <c>ConnectionStrings:Postgres</c>: each active role's service keeps its
/// data in its own schema (<see cref="Role.Schema"/>), sagas store instances with inbox and outbox, every consumer
/// endpoint applies a message in one transaction (effect, inbox record, outgoing messages), relays deliver each
/// schema's outbox to Kafka (or, with the in-memory transport, to the bus), and the schemas are migrated on start, or, with
/// <c>Postgres:MigrateOnStart=false</c> (the Helm chart, whose Job runs the <c>migrate</c> command once per
/// release), the start waits until they have been migrated.
/// </summary>
public sealed class PostgresStorage
{
    /// <summary>Whether a starting process applies missing migrations itself (default) or waits for the <c>migrate</c> command.</summary>
    public const string MigrateOnStartKey = "Postgres:MigrateOnStart";

    PostgresStorage(IReadOnlyList<SchemaDefinition> schemas) => Schemas = schemas;

    /// <summary>The schemas this process uses (those of its roles).</summary>
    public IReadOnlyList<SchemaDefinition> Schemas { get; }

    /// <summary>Registers PostgreSQL storage for the active roles' schemas; null (and nothing registered) without a connection string.</summary>
    public static PostgresStorage? Add(IServiceCollection services, IConfiguration configuration, Roles roles, bool kafka)
    {
        if (configuration.GetConnectionString("Postgres") is not { Length: > 0 } connectionString)
            return null;

        var storage = new PostgresStorage([.. roles.Modules.Select(r => r.Schema).OfType<SchemaDefinition>()]);
        services.AddSagaDemoPostgres(connectionString);
        services.AddSchemaMigrationOnStart(storage.Schemas,
            configuration.GetValue(MigrateOnStartKey, true) ? SchemaStartMode.Migrate : SchemaStartMode.WaitForMigration);
        services.AddSingleton(RoleCatalog.Destinations);
        if (kafka)
            services.AddSingleton<IOutboxSink, KafkaOutboxSink>();
        else
            services.AddSingleton<IOutboxSink, BusOutboxSink>();
        foreach (var schema in storage.Schemas)
            services.AddOutboxRelay(schema.Name);
        services.AddRetentionPruning(configuration, storage.Schemas.Select(s => s.Name));
        services.AddHealthChecks().AddReadyCheck<PostgresReadinessCheck>("postgres");
        services.AddExceptionHandler<StorageUnavailableExceptionHandler>();
        return storage;
    }

    /// <summary>
    /// Puts the consumers of every service endpoint of <paramref name="roles"/> behind the transactional filter of its
    /// role's schema (sagas have their own transaction). Static so tests can do the same on a test bus.
    /// </summary>
    public static void UseTransactionalConsumers(IBusRegistrationConfigurator bus, IEnumerable<Role> roles)
    {
        var groups = roles.Where(r => r.Schema is not null)
            .SelectMany(r => r.ConsumerGroups.Where(g => g.Consumers.Count > 0).Select(g => (Group: g, Schema: r.Schema!.Name)))
            .ToDictionary(e => e.Group.Name);
        bus.AddConfigureEndpointsCallback((context, name, endpoint) =>
        {
            if (!groups.TryGetValue(name, out var entry))
                return;
            var options = new TransactionalConsumerOptions
                { Schema = entry.Schema, Endpoint = name, Destination = RoleCatalog.Destinations.TopicOf };
            if (entry.Group.GroupCommit)
                endpoint.UsePostgresGroupCommit(context.GetRequiredService<GroupCommitters>().For(entry.Schema), options);
            else
                endpoint.UsePostgresTransactions(context.GetRequiredService<NpgsqlDataSource>(), options);
        });
    }
}
