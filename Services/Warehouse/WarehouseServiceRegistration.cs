namespace SagaDemo.Services.Warehouse;

/// <summary>Wiring of the warehouse service (its role, store and consumers: the host's WarehouseRole).</summary>
public static class WarehouseServiceRegistration
{
    public static IServiceCollection AddWarehouseService(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<WarehouseOptions>(configuration.GetSection(WarehouseOptions.Section));
        return services;
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
