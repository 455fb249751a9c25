namespace SagaDemo.Services.Statistics;

/// <summary>Order counts, each order counted once per lifecycle kind however often its event arrives.</summary>
public interface IStatisticsStore
{
    /// <summary>
    /// Counts <paramref name="kind"/> (submitted, completed or cancelled) for the order, adding
    /// <paramref name="amount"/> to revenue when completed. Returns false when it was counted before.
    /// </summary>
    Task<bool> RecordOnceAsync(Guid orderId, string kind, decimal? amount, CancellationToken cancellationToken);

    Task<OrderStatistics> GetAsync(CancellationToken cancellationToken);
}
