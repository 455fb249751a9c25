using MassTransit;
using SagaDemo.Contracts;
using SagaDemo.Services.Hosting;

namespace SagaDemo.Services.Warehouse;

public sealed class WarehouseConsumerDefinition<TConsumer>() : ServiceConsumerDefinition<TConsumer>(ConsumerGroups.Warehouse)
    where TConsumer : class, IConsumer;

/// <summary>Wiring of the warehouse service (role <c>warehouse</c>).</summary>
public static class WarehouseServiceRegistration
{
    public static IServiceCollection AddWarehouseService(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<WarehouseOptions>(configuration.GetSection(WarehouseOptions.Section));
        services.TryAddSingleton<IInventoryStore, InMemoryInventoryStore>();
        return services;
    }

    public static IBusRegistrationConfigurator AddWarehouseConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<ReserveStockConsumer, WarehouseConsumerDefinition<ReserveStockConsumer>>();
        bus.AddConsumer<ReleaseStockConsumer, WarehouseConsumerDefinition<ReleaseStockConsumer>>();
        bus.AddConsumer<ShipOrderConsumer, WarehouseConsumerDefinition<ShipOrderConsumer>>();
        return bus;
    }

    public static IEndpointRouteBuilder MapWarehouse(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/inventory", async (IInventoryStore store, CancellationToken ct) => Results.Ok(await store.ListAsync(ct)))
            .WithName("GetInventory").WithTags("Warehouse")
            .WithSummary("List the inventory")
            .WithDescription("Stock per SKU: on hand, and how much of it is reserved for orders not yet shipped.")
            .Produces<IReadOnlyList<StockLevel>>(StatusCodes.Status200OK);
        return routes;
    }
}
