using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;
using SagaDemo.Contracts;
using SagaDemo.Host.Http;
using SagaDemo.Host.Observability;
using SagaDemo.Persistence;
using SagaDemo.Persistence.Consumers;
using SagaDemo.Persistence.GroupCommit;
using SagaDemo.Persistence.Operations;
using SagaDemo.Persistence.Outbox;
using SagaDemo.Persistence.Payment;
using SagaDemo.Persistence.Sagas;
using SagaDemo.Persistence.Schema;
using SagaDemo.Persistence.Statistics;
using SagaDemo.Persistence.Users;
using SagaDemo.Persistence.Warehouse;
using SagaDemo.Sagas.OrderFulfilment;
using SagaDemo.Sagas.UserRegistration;
using SagaDemo.Services.Hosting.Deadlines;
using SagaDemo.Services.Operations;
using SagaDemo.Services.Payment;
using SagaDemo.Services.Statistics;
using SagaDemo.Services.Users;
using SagaDemo.Services.Warehouse;
using SagaDemo.Telemetry.Health;

namespace SagaDemo.Host.Composition;

/// <summary>
/// Durable state, switched on by <c>ConnectionStrings:Postgres</c>: each active role's service keeps its
/// data in its own schema, sagas store instances with inbox and outbox, every consumer endpoint applies a
/// message in one transaction (effect, inbox record, outgoing messages), relays deliver each schema's
/// outbox to the <see cref="IOutboxSink"/>, and the schemas are migrated on start, or, with
/// <c>Postgres:MigrateOnStart=false</c> (the Helm chart, whose Job runs the <c>migrate</c> command once per
/// release), the start waits until they have been migrated.
/// </summary>
public sealed class PostgresStorage
{
    /// <summary>Schema of each role (approval keeps no state).</summary>
    public static readonly IReadOnlyDictionary<string, SchemaDefinition> SchemaByRole = new Dictionary<string, SchemaDefinition>
    {
        [Roles.Api] = SagaDemoSchemas.Operations,
        [Roles.Users] = SagaDemoSchemas.Users,
        [Roles.Orders] = SagaDemoSchemas.Orders,
        [Roles.Warehouse] = SagaDemoSchemas.Warehouse,
        [Roles.Payment] = SagaDemoSchemas.Payment,
        [Roles.Statistics] = SagaDemoSchemas.Statistics,
    };

    /// <summary>Consumer endpoints whose consumers run in their service's transaction (sagas have their own).</summary>
    static readonly IReadOnlyDictionary<string, SchemaDefinition> TransactionalEndpoints = new Dictionary<string, SchemaDefinition>
    {
        [ConsumerGroups.Operations] = SagaDemoSchemas.Operations,
        [ConsumerGroups.UserStore] = SagaDemoSchemas.Users,
        [ConsumerGroups.Warehouse] = SagaDemoSchemas.Warehouse,
        [ConsumerGroups.Payment] = SagaDemoSchemas.Payment,
        [ConsumerGroups.Statistics] = SagaDemoSchemas.Statistics,
    };

    /// <summary>
    /// Of those, the endpoints whose consumers' stores only write blindly (an insert that may find its row): their
    /// messages go through the schema's group commit, many per transaction, instead of a transaction each.
    /// </summary>
    static readonly IReadOnlySet<string> GroupCommitEndpoints = new HashSet<string> { ConsumerGroups.UserStore };

    /// <summary>Whether a starting process applies missing migrations itself (default) or waits for the <c>migrate</c> command.</summary>
    public const string MigrateOnStartKey = "Postgres:MigrateOnStart";

    PostgresStorage(IReadOnlyList<SchemaDefinition> schemas) => Schemas = schemas;

    /// <summary>The schemas this process uses (those of its roles).</summary>
    public IReadOnlyList<SchemaDefinition> Schemas { get; }

    /// <summary>Registers PostgreSQL storage for the active roles; null (and nothing registered) without a connection string.</summary>
    public static PostgresStorage? Add(IServiceCollection services, IConfiguration configuration, Roles roles)
    {
        if (configuration.GetConnectionString("Postgres") is not { Length: > 0 } connectionString)
            return null;

        var storage = new PostgresStorage([.. roles.Active.Where(SchemaByRole.ContainsKey).Select(r => SchemaByRole[r])]);
        services.AddSagaDemoPostgres(connectionString);
        services.AddSchemaMigrationOnStart(storage.Schemas,
            configuration.GetValue(MigrateOnStartKey, true) ? SchemaStartMode.Migrate : SchemaStartMode.WaitForMigration);
        // In Kafka mode the composition registers KafkaOutboxSink first; otherwise the bus delivers.
        services.TryAddSingleton<IOutboxSink, BusOutboxSink>();
        foreach (var schema in storage.Schemas)
            services.AddOutboxRelay(schema.Name);
        services.AddRetentionPruning(configuration, storage.Schemas.Select(s => s.Name));
        services.AddHealthChecks().AddReadyCheck<PostgresReadinessCheck>("postgres");
        services.AddExceptionHandler<StorageUnavailableExceptionHandler>();

        // Registered before the services' in-memory defaults (TryAdd), so these win.
        if (roles.Has(Roles.Api))
        {
            services.AddKeyedSingleton<IOperationStore>(MeteredOperationStore.InnerKey,
                (sp, _) => new PostgresOperationStore(sp.GetRequiredService<NpgsqlDataSource>(), SagaDemoSchemas.Operations.Name));
            services.AddScoped<IOperationLauncher>(sp => new PostgresOperationLauncher(sp.GetRequiredService<NpgsqlDataSource>(),
                sp.GetRequiredService<IOperationStore>(), SagaDemoSchemas.Operations.Name,
                sp.GetRequiredService<GroupCommitters>().For(SagaDemoSchemas.Operations.Name)));
        }
        if (roles.Has(Roles.Users))
        {
            services.AddSingleton<IUserStore>(sp => new PostgresUserStore(sp.GetRequiredService<NpgsqlDataSource>(), SagaDemoSchemas.Users.Name));
            services.AddSingleton<ISagaDeadlineSource<UserRegistrationState>, PostgresSagaDeadlineSource<UserRegistrationState>>();
        }
        if (roles.Has(Roles.Orders))
            services.AddSingleton<ISagaDeadlineSource<OrderState>, PostgresSagaDeadlineSource<OrderState>>();
        if (roles.Has(Roles.Warehouse))
            services.AddSingleton<IInventoryStore>(sp => new PostgresInventoryStore(sp.GetRequiredService<NpgsqlDataSource>(),
                sp.GetRequiredService<IOptions<WarehouseOptions>>(), SagaDemoSchemas.Warehouse.Name));
        if (roles.Has(Roles.Payment))
            services.AddSingleton<IPaymentStore>(sp => new PostgresPaymentStore(sp.GetRequiredService<NpgsqlDataSource>(), SagaDemoSchemas.Payment.Name));
        if (roles.Has(Roles.Statistics))
            services.AddSingleton<IStatisticsStore>(sp =>
                new PostgresStatisticsStore(sp.GetRequiredService<NpgsqlDataSource>(), SagaDemoSchemas.Statistics.Name));
        return storage;
    }

    /// <summary>Puts the consumers of every service endpoint behind the transactional filter of its schema.</summary>
    public void ConfigureConsumerEndpoints(IBusRegistrationConfigurator bus) => UseTransactionalConsumers(bus);

    /// <summary>Static so tests can put the same endpoints behind the same filter on a test bus.</summary>
    public static void UseTransactionalConsumers(IBusRegistrationConfigurator bus) =>
        bus.AddConfigureEndpointsCallback((context, name, endpoint) =>
        {
            if (!TransactionalEndpoints.TryGetValue(name, out var schema))
                return;
            var options = new TransactionalConsumerOptions { Schema = schema.Name, Endpoint = name };
            if (GroupCommitEndpoints.Contains(name))
                endpoint.UsePostgresGroupCommit(context.GetRequiredService<GroupCommitters>().For(schema.Name), options);
            else
                endpoint.UsePostgresTransactions(context.GetRequiredService<NpgsqlDataSource>(), options);
        });
}

/// <summary>Saga repositories: in memory, or PostgreSQL with inbox, outbox and (user saga) the indexed deadline.</summary>
public static class SagaStorage
{
    public static void StoredIn(this ISagaRegistrationConfigurator<UserRegistrationState> saga, PostgresStorage? postgres)
    {
        if (postgres is null)
            saga.InMemoryRepository();
        else
            saga.PostgresRepository(o =>
            {
                o.Schema = SagaDemoSchemas.Users.Name;
                o.Table = SagaDemoSchemas.UserRegistrationSagaTable;
                o.Deadline = s => s.ApprovalDeadline;
                o.UseInbox = true;
                o.UseOutbox = true;
            });
    }

    public static void StoredIn(this ISagaRegistrationConfigurator<OrderState> saga, PostgresStorage? postgres)
    {
        if (postgres is null)
            saga.InMemoryRepository();
        else
            saga.PostgresRepository(o =>
            {
                o.Schema = SagaDemoSchemas.Orders.Name;
                o.Table = SagaDemoSchemas.OrderSagaTable;
                o.Deadline = s => s.StepDeadline;
                o.UseInbox = true;
                o.UseOutbox = true;
            });
    }
}
