using SagaDemo.Contracts.Orders;

namespace SagaDemo.Services.Statistics;

/// <summary>Order statistics in process memory, for one-process runs and tests.</summary>
public sealed class InMemoryStatisticsStore : IStatisticsStore
{
    readonly Lock _lock = new();
    readonly HashSet<(Guid OrderId, string Kind)> _counted = [];
    long _submitted, _completed, _cancelled;
    decimal _revenue;

    public Task<bool> RecordOnceAsync(Guid orderId, string kind, decimal? amount, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_counted.Add((orderId, kind)))
                return Task.FromResult(false);
            switch (kind)
            {
                case OrderLifecycleKind.Submitted:
                    _submitted++;
                    break;
                case OrderLifecycleKind.Completed:
                    _completed++;
                    _revenue += amount ?? 0m;
                    break;
                case OrderLifecycleKind.Cancelled:
                    _cancelled++;
                    break;
            }
            return Task.FromResult(true);
        }
    }

    public Task<OrderStatistics> GetAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            var inProgress = Math.Max(0, _submitted - _completed - _cancelled);
            return Task.FromResult(new OrderStatistics(_submitted, _completed, _cancelled, inProgress, _revenue));
        }
    }
}
