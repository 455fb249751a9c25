using MassTransit;
using SagaDemo.Contracts.Orders;

namespace SagaDemo.Services.Statistics;

/// <summary>Counts submitted, completed and cancelled orders from topic <c>order</c>; other steps are not counted.</summary>
public sealed class OrderLifecycleEventConsumer(IStatisticsStore store) : IConsumer<OrderLifecycleEvent>
{
    static readonly HashSet<string> CountedKinds =
        [OrderLifecycleKind.Submitted, OrderLifecycleKind.Completed, OrderLifecycleKind.Cancelled];

    public async Task Consume(ConsumeContext<OrderLifecycleEvent> context)
    {
        var m = context.Message;
        if (CountedKinds.Contains(m.Kind))
            await store.RecordOnceAsync(m.OrderId, m.Kind, m.Amount, context.CancellationToken);
    }
}
