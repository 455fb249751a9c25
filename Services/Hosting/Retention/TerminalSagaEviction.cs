using System.Collections.Concurrent;
using MassTransit;
using MassTransit.Saga;

namespace SagaDemo.Services.Hosting.Retention;

/// <summary>
/// Evicts terminal instances from MassTransit's in-memory saga repository once they have been terminal for the
/// retention period. It learns when an instance became terminal as a state observer of the machine; the queue of
/// those moments is in finishing order, so pruning stops at the first one still within retention.
/// </summary>
/// <remarks>
/// An instance is taken under the repository's own locks (dictionary, then instance), as MassTransit does when it
/// removes a finalized instance, so an event being applied to it right now finishes first. A duplicate arriving
/// after eviction no longer finds the instance: that is what the retention period must be long enough for.
/// </remarks>
public sealed class TerminalSagaEviction<TSaga>(
    IndexedSagaDictionary<TSaga> sagas,
    IReadOnlySet<string> terminalStates,
    TimeProvider clock) : IRetainedStore, IStateObserver<TSaga>
    where TSaga : class, SagaStateMachineInstance
{
    readonly ConcurrentQueue<(Guid Id, DateTimeOffset At)> _finished = new();

    public string Name => $"{typeof(TSaga).Name} instances";

    public Task StateChanged(BehaviorContext<TSaga> context, State currentState, State previousState)
    {
        if (terminalStates.Contains(currentState.Name))
            _finished.Enqueue((context.Saga.CorrelationId, clock.GetUtcNow()));
        return Task.CompletedTask;
    }

    public async Task<int> PruneAsync(DateTimeOffset olderThan, CancellationToken cancellationToken)
    {
        var removed = 0;
        while (_finished.TryPeek(out var next) && next.At < olderThan && _finished.TryDequeue(out next))
        {
            await sagas.MarkInUse(cancellationToken);
            try
            {
                if (sagas[next.Id] is not { IsRemoved: false } instance)
                    continue;
                await instance.MarkInUse(cancellationToken);
                sagas.Remove(instance);
                instance.Remove();
                removed++;
            }
            finally
            {
                sagas.Release();
            }
        }
        return removed;
    }
}
