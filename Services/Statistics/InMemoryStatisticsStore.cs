using SagaDemo.Contracts.Orders;
using SagaDemo.Services.Hosting.Retention;

namespace SagaDemo.Services.Statistics;

/// <summary>
/// Order statistics in process memory, for one-process runs and tests. Which events were counted (so a redelivery is
/// not counted twice) is remembered for retention; the totals stay.
/// </summary>
public sealed class InMemoryStatisticsStore(TimeProvider? clock = null) : IStatisticsStore, IRetainedStore
{
    readonly TimeProvider _clock = clock ?? TimeProvider.System;
    readonly Lock _lock = new();
    readonly Dictionary<(Guid OrderId, string Kind), DateTimeOffset> _counted = [];
    long _submitted, _completed, _cancelled;
    decimal _revenue;

    public Task<bool> RecordOnceAsync(Guid orderId, string kind, decimal? amount, CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            if (!_counted.TryAdd((orderId, kind), _clock.GetUtcNow()))
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

    public string Name => "counted order events";

    public Task<int> PruneAsync(DateTimeOffset olderThan, CancellationToken cancellationToken)
    {
        lock (_lock)
            return Task.FromResult(_counted.RemoveExpired(countedAt => countedAt < olderThan));
    }
}
