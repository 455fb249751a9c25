namespace SagaDemo.Services.Statistics;

/// <summary>Routes of the statistics service (its role, store and consumers: the host's StatisticsRole).</summary>
public static class StatisticsServiceRegistration
{

    public static IEndpointRouteBuilder MapStatistics(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/statistics", async (IStatisticsStore store, CancellationToken ct) => Results.Ok(await store.GetAsync(ct)))
            .WithName("GetStatistics").WithTags("Statistics")
            .WithSummary("Get order statistics")
            .WithDescription("Orders by outcome and the revenue of completed ones.")
            .Produces<OrderStatistics>(StatusCodes.Status200OK);
        return routes;
    }
}
