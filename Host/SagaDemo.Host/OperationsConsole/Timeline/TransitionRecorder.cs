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
            Topic = record?.Topic,
            Partition = record?.Partition,
            Offset = record?.Offset,
            // The consume's activity continues the trace the record carried (propagation-only without an exporter).
            TraceId = Activity.Current is { } activity ? activity.TraceId.ToHexString() : null,
        });
        if (history.Count > ITransitionHistory.MaxTransitions)
            history.RemoveRange(0, history.Count - ITransitionHistory.MaxTransitions);
        return Task.CompletedTask;
    }
}
