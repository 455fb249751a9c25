using MassTransit;
using SagaDemo.Contracts.Orders;
using SagaDemo.Sagas.OrderFulfilment;
using SagaDemo.Services.Hosting.Deadlines;

namespace SagaDemo.Services.Orders;

/// <summary>Fires <see cref="OrderTimedOut"/> for an order whose step got no reply in time (OrderFulfilment:StepTimeout), every OrderFulfilment:DeadlineCheckInterval.</summary>
public sealed class OrderDeadlineWatcher(
    ISagaDeadlineSource<OrderState> deadlines,
    IBus bus,
    TimeProvider clock,
    IOptions<OrderFulfilmentOptions> options,
    ILogger<OrderDeadlineWatcher> logger)
    : SagaDeadlineWatcher<OrderState>(deadlines, bus, clock, options.Value.DeadlineCheckInterval, logger)
{
    protected override object? TimeoutFor(DueSaga due, DateTimeOffset now) => new OrderTimedOut(due.CorrelationId, now);
}

public static class OrderDeadlineRegistration
{
    /// <summary>Without an indexed deadline (PostgreSQL's), the watcher scans the saga repository.</summary>
    public static ISagaDeadlineSource<OrderState> ScanRepository(IServiceProvider sp)
    {
        var machine = sp.GetRequiredService<OrderStateMachine>();
        return new RepositoryDeadlineSource<OrderState>(
            sp.GetRequiredService<IQuerySagaRepository<OrderState>>(), machine,
            now => s => s.StepDeadline != null && s.StepDeadline < now,
            [machine.Reserving, machine.Charging, machine.Shipping, machine.Compensating]);
    }

    /// <summary>The order saga's deadline watcher; its <see cref="ISagaDeadlineSource{TSaga}"/> is the role's choice.</summary>
    public static IServiceCollection AddOrderDeadlineWatcher(this IServiceCollection services)
    {
        services.AddSingleton<OrderDeadlineWatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<OrderDeadlineWatcher>());
        return services;
    }
}
