using MassTransit;
using SagaDemo.Services.Hosting.Deadlines;

namespace SagaDemo.Persistence.Sagas;

/// <summary>
/// Asks the saga table's partial deadline index: only instances with a pending deadline are read, however many
/// finished ones the table holds. At most <see cref="BatchSize"/> per check; the rest are found by the next one.
/// </summary>
public sealed class PostgresSagaDeadlineSource<TSaga>(ISagaDeadlineQuery<TSaga> deadlines) : ISagaDeadlineSource<TSaga>
    where TSaga : class, ISagaVersion
{
    public const int BatchSize = 1000;

    public async Task<IReadOnlyList<DueSaga>> FindDueAsync(DateTimeOffset now, CancellationToken cancellationToken) =>
        [.. (await deadlines.FindExpiredAsync(now, BatchSize, cancellationToken)).Select(d => new DueSaga(d.CorrelationId, d.CurrentState))];
}
