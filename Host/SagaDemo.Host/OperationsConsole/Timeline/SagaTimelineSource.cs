using MassTransit;
using SagaDemo.Sagas.Timeline;

namespace SagaDemo.Host.OperationsConsole.Timeline;

/// <summary>Loads an instance through MassTransit's load repository, so in-memory and PostgreSQL state read alike.</summary>
public sealed class SagaTimelineSource<TSaga>(string saga, ILoadSagaRepository<TSaga> repository, Func<TSaga, string> currentState)
    : ISagaTimelineSource
    where TSaga : class, ISaga, ITransitionHistory
{
    public string Saga => saga;

    public async Task<SagaTimeline?> FindAsync(Guid correlationId, CancellationToken cancellationToken) =>
        await repository.Load(correlationId) is { } instance
            ? new SagaTimeline(saga, currentState(instance), [.. instance.Transitions])
            : null;
}
