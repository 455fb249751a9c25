using MassTransit;
using SagaDemo.Contracts;
using SagaDemo.Services.Hosting;

namespace SagaDemo.Services.Statistics;

public sealed class StatisticsConsumerDefinition<TConsumer>() : ServiceConsumerDefinition<TConsumer>(ConsumerGroups.Statistics)
    where TConsumer : class, IConsumer;

/// <summary>Wiring of the statistics service (role <c>statistics</c>).</summary>
public static class StatisticsServiceRegistration
{
    public static IServiceCollection AddStatisticsService(this IServiceCollection services)
    {
        services.TryAddSingleton<IStatisticsStore, InMemoryStatisticsStore>();
        return services;
    }

    public static IBusRegistrationConfigurator AddStatisticsConsumers(this IBusRegistrationConfigurator bus)
    {
        bus.AddConsumer<OrderLifecycleEventConsumer, StatisticsConsumerDefinition<OrderLifecycleEventConsumer>>();
        return bus;
    }

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
