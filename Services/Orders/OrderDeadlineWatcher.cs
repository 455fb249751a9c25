using MassTransit;
using SagaDemo.Contracts.Orders;
using SagaDemo.Sagas.OrderFulfilment;
using SagaDemo.Services.Hosting.Deadlines;

namespace SagaDemo.Services.Orders;

/// <summary>Fires <see cref="OrderTimedOut"/> for an order whose step got no reply in time (OrderFulfilment:StepTimeout).</summary>
public sealed class OrderDeadlineWatcher(
    ISagaDeadlineSource<OrderState> deadlines,
    IBus bus,
    TimeProvider clock,
    IOptionsMonitor<DeadlineWatchOptions> watch,
    ILogger<OrderDeadlineWatcher> logger)
    : SagaDeadlineWatcher<OrderState>(deadlines, bus, clock, watch.Get(OrderFulfilmentOptions.Section).DeadlineCheckInterval, logger)
{
    protected override object? TimeoutFor(DueSaga due, DateTimeOffset now) => new OrderTimedOut(due.CorrelationId, now);
}

public static class OrderDeadlineRegistration
{
    /// <summary>The order saga's deadline watcher; scans the saga repository unless PostgreSQL registered its indexed source.</summary>
    public static IServiceCollection AddOrderDeadlineWatcher(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton<ISagaDeadlineSource<OrderState>>(sp =>
        {
            var machine = sp.GetRequiredService<OrderStateMachine>();
            return new RepositoryDeadlineSource<OrderState>(
                sp.GetRequiredService<IQuerySagaRepository<OrderState>>(), machine,
                now => s => s.StepDeadline != null && s.StepDeadline < now,
                [machine.Reserving, machine.Charging, machine.Shipping, machine.Compensating]);
        });
        services.Configure<OrderFulfilmentOptions>(configuration.GetSection(OrderFulfilmentOptions.Section));
        services.Configure<DeadlineWatchOptions>(OrderFulfilmentOptions.Section, configuration.GetSection(OrderFulfilmentOptions.Section));
        services.AddSingleton<OrderDeadlineWatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<OrderDeadlineWatcher>());
        return services;
    }
}
