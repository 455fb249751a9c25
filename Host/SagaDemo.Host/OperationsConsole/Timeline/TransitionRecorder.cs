using System.Collections.Concurrent;
using System.Diagnostics;
using MassTransit;
using SagaDemo.Kafka.Consuming;
using SagaDemo.Sagas.Timeline;

namespace SagaDemo.Host.OperationsConsole.Timeline;

/// <summary>
/// Appends each state change to the instance's own history, inside the consume that causes it, so the history is saved
/// (or rolled back) with the instance by whichever repository holds it. Lives in Host because it reads the Kafka record
/// the rider attached (<see cref="KafkaRecordContext"/>), which the sagas know nothing of.
/// </summary>
public sealed class TransitionRecorder<TSaga>(TimeProvider clock) : IStateObserver<TSaga>
    where TSaga : class, SagaStateMachineInstance, ITransitionHistory
{
    public Task StateChanged(BehaviorContext<TSaga> context, State currentState, State previousState)
    {
        // MassTransit first puts a new instance into Initial: not a step of the flow.
        if (previousState is null || previousState.Equals(currentState))
            return Task.CompletedTask;
        context.TryGetPayload(out KafkaRecordContext? record);
        var history = context.Saga.Transitions;
        history.Add(new SagaTransition(previousState.Name, currentState.Name, context.Event.Name, clock.GetUtcNow())
        {
            Topic = record?.Topic is { } topic ? Topics.GetOrAdd(topic, topic) : null,
            Partition = record?.Partition,
            Offset = record?.Offset,
            TraceId = TraceIdOf(history),
        });
        if (history.Count > ITransitionHistory.MaxTransitions)
            history.RemoveRange(0, history.Count - ITransitionHistory.MaxTransitions);
        return Task.CompletedTask;
    }

    // Every transition stays in memory with its instance for the retention period (in the embedded run), and each
    // record brings its own copy of its topic's name and of its trace id: one shared copy each instead (about 0.5 KB less
    // per finished user saga, a sixth of what the in-memory soak retains).
    static readonly ConcurrentDictionary<string, string> Topics = new(StringComparer.Ordinal);

    /// <summary>The trace of the consume (it continues the one the record carried), as the previous step's string when it is the same trace.</summary>
    static string? TraceIdOf(List<SagaTransition> history)
    {
        if (Activity.Current is not { } activity)
            return null;
        var id = activity.TraceId.ToHexString();
        return history.Count > 0 && history[^1].TraceId is { } previous && previous == id ? previous : id;
    }
}
