using Microsoft.Extensions.Options;
using Npgsql;
using SagaDemo.Contracts;
using SagaDemo.Contracts.Orders;
using SagaDemo.Kafka.Topology;
using SagaDemo.Persistence.Schema;
using SagaDemo.Persistence.Warehouse;
using SagaDemo.Services.Hosting.Retention;
using SagaDemo.Services.Warehouse;

namespace SagaDemo.Host.RoleModules;

/// <summary>Reserves, releases and ships stock for orders; its inventory over HTTP.</summary>
public sealed class WarehouseRole : Role
{
    public const string RoleName = "warehouse";
    public const string Group = "warehouse-service";

    public override string Name => RoleName;

    public override IReadOnlyList<ConsumerGroup> ConsumerGroups =>
        [new(Group, [Topics.WarehouseCommand], [typeof(ReserveStockConsumer), typeof(ReleaseStockConsumer), typeof(ShipOrderConsumer)])];

    public override IReadOnlyList<TopicDefinition> Produces =>
        [Topic(Topics.WarehouseEvent, typeof(StockReserved), typeof(StockUnavailable), typeof(StockReleased), typeof(OrderShipped))];

    public override SchemaDefinition Schema => SagaDemoSchemas.Warehouse;

    public override void AddServices(RoleContext context)
    {
        context.Services.AddWarehouseService(context.Configuration);
        if (context.Postgres)
            context.Services.AddSingleton<IInventoryStore>(sp => new PostgresInventoryStore(sp.GetRequiredService<NpgsqlDataSource>(),
                sp.GetRequiredService<IOptions<WarehouseOptions>>(), Schema.Name));
        else
            context.Services.AddRetainedStore<IInventoryStore, InMemoryInventoryStore>();
    }

    public override void MapEndpoints(IEndpointRouteBuilder business, IConfiguration configuration) => business.MapWarehouse();
}
