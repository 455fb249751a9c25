using Npgsql;
using SagaDemo.Contracts;
using SagaDemo.Persistence.Schema;
using SagaDemo.Persistence.Statistics;
using SagaDemo.Services.Hosting.Retention;
using SagaDemo.Services.Statistics;

namespace SagaDemo.Host.RoleModules;

/// <summary>Counts orders by outcome from the order lifecycle events; produces nothing.</summary>
public sealed class StatisticsRole : Role
{
    public const string RoleName = "statistics";
    public const string Group = "statistics-service";

    public override string Name => RoleName;

    public override IReadOnlyList<ConsumerGroup> ConsumerGroups =>
        [new(Group, [Topics.Order], [typeof(OrderLifecycleEventConsumer)])];

    public override SchemaDefinition Schema => SagaDemoSchemas.Statistics;

    public override void AddServices(RoleContext context)
    {
        if (context.Postgres)
            context.Services.AddSingleton<IStatisticsStore>(sp =>
                new PostgresStatisticsStore(sp.GetRequiredService<NpgsqlDataSource>(), Schema.Name));
        else
            context.Services.AddRetainedStore<IStatisticsStore, InMemoryStatisticsStore>();
    }

    public override void MapEndpoints(IEndpointRouteBuilder business, IConfiguration configuration) => business.MapStatistics();
}
