using System.Collections.Concurrent;
using MassTransit;

namespace SagaDemo.Host.Observability;

/// <summary>
/// Counts the instances of one saga by current state from the transitions this process applies,
/// so a scrape reads a dictionary instead of querying the saga store.
/// </summary>
public sealed class SagaStateCounter<TInstance> : IStateObserver<TInstance> where TInstance : class, SagaStateMachineInstance
{
    readonly ConcurrentDictionary<string, long> _counts = new();

    public IEnumerable<KeyValuePair<string, long>> Counts => _counts;

    public Task StateChanged(BehaviorContext<TInstance> context, State currentState, State previousState)
    {
        // "Initial" is where every instance starts before its first event: not a stored state.
        if (previousState is not null && previousState.Name != "Initial")
            _counts.AddOrUpdate(previousState.Name, 0, (_, n) => Math.Max(0, n - 1));
        _counts.AddOrUpdate(currentState.Name, 1, (_, n) => n + 1);
        return Task.CompletedTask;
    }
}
