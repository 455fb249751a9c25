using Npgsql;
using SagaDemo.Contracts;
using SagaDemo.Contracts.Orders;
using SagaDemo.Contracts.Users;
using SagaDemo.Host.Admission;
using SagaDemo.Host.Composition;
using SagaDemo.Host.Observability;
using SagaDemo.Host.Operations;
using SagaDemo.Host.OperationsConsole;
using SagaDemo.Kafka.Topology;
using SagaDemo.Persistence.GroupCommit;
using SagaDemo.Persistence.Operations;
using SagaDemo.Persistence.Schema;
using SagaDemo.Services.Hosting.Retention;
using SagaDemo.Services.Operations;
using SagaDemo.Telemetry.Instruments;

namespace SagaDemo.Host.RoleModules;

/// <summary>The HTTP API: accepts operations, starts their flows, records their outcomes; the operations console.</summary>
public sealed class ApiRole : Role
{
    public const string RoleName = "api";
    /// <summary>The original demo's OperationService.</summary>
    public const string Group = "operation-service";

    public override string Name => RoleName;

    public override IReadOnlyList<ConsumerGroup> ConsumerGroups =>
    [
        new(Group, [Topics.UserCreateResponse, Topics.OrderCreateResponse],
            [typeof(UserCreateCompletedConsumer), typeof(OrderCreateCompletedConsumer)], GroupCommit: true),
    ];

    public override IReadOnlyList<TopicDefinition> Produces =>
    [
        EntryTopic(Topics.UserCreate, typeof(UserCreateRequested)),
        EntryTopic(Topics.OrderCreate, typeof(OrderSubmitted)),
    ];

    public override SchemaDefinition Schema => SagaDemoSchemas.Operations;

    public override void AddServices(RoleContext context)
    {
        var services = context.Services;
        if (context.Postgres)
        {
            services.AddKeyedSingleton<IOperationStore>(MeteredOperationStore.InnerKey,
                (sp, _) => new PostgresOperationStore(sp.GetRequiredService<NpgsqlDataSource>(), Schema.Name,
                    finished => MeteredOperationStore.Finished(sp.GetRequiredService<SagaDemoMetrics>(), finished)));
            services.AddScoped<IOperationLauncher>(sp => new PostgresOperationLauncher(sp.GetRequiredService<NpgsqlDataSource>(),
                sp.GetRequiredService<IOperationStore>(), RoleCatalog.Destinations, Schema.Name,
                sp.GetRequiredService<GroupCommitters>().For(Schema.Name)));
        }
        else
        {
            services.AddKeyedSingleton<IOperationStore, InMemoryOperationStore>(MeteredOperationStore.InnerKey);
            // The launcher publishes; in Kafka mode the owner must reach the record through the rider.
            if (context.Kafka)
                services.AddScoped<IOperationLauncher>(sp =>
                    new ClientStampingLauncher(ActivatorUtilities.CreateInstance<PublishingOperationLauncher>(sp)));
            else
                services.AddScoped<IOperationLauncher, PublishingOperationLauncher>();
            services.AddSingleton<IRetainedStore>(sp =>
                sp.GetRequiredKeyedService<IOperationStore>(MeteredOperationStore.InnerKey) as IRetainedStore ?? new NothingRetained());
        }
        services.AddSingleton<IOperationStore>(sp => new MeteredOperationStore(
            sp.GetRequiredKeyedService<IOperationStore>(MeteredOperationStore.InnerKey), sp.GetRequiredService<SagaDemoMetrics>()));
        services.AddOperationsService();
        services.AddAdmissionControl(context.Configuration);
        services.AddOperationsConsole(context.Kafka, context.Postgres ? Schema.Name : null);
    }

    public override void UseMiddleware(WebApplication app) => app.UseConsolePage();

    public override void MapEndpoints(IEndpointRouteBuilder business, IConfiguration configuration)
    {
        business.MapOperations();
        business.MapOperationsConsole(KafkaTransport.IsEnabled(configuration));
    }
}
