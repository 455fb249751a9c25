namespace SagaDemo.Persistence.Sagas;

/// <summary>An instance whose projected deadline has passed.</summary>
public sealed record SagaDeadline(Guid CorrelationId, DateTimeOffset Deadline, string? CurrentState);

/// <summary>
/// Finds instances whose deadline (see <see cref="PostgresSagaRepositoryOptions{TSaga}.Deadline"/>) lies
/// before <c>now</c>, oldest first, via the partial index on the <c>deadline</c> column. A watcher publishes
/// a timeout event for each; the saga clears the deadline when it handles it, so the instance drops out.
/// </summary>
public interface ISagaDeadlineQuery<TSaga>
    where TSaga : class
{
    Task<IReadOnlyList<SagaDeadline>> FindExpiredAsync(DateTimeOffset now, int limit, CancellationToken cancellationToken = default);
}
