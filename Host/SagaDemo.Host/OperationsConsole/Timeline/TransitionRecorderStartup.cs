using MassTransit;
using SagaDemo.Sagas.Timeline;

namespace SagaDemo.Host.OperationsConsole.Timeline;

/// <summary>
/// Connects a <see cref="TransitionRecorder{TSaga}"/> to the saga's state machine. Registered before the bus, so it has
/// started (and the recorder is connected) before the first message is consumed.
/// </summary>
public sealed class TransitionRecorderStartup<TSaga, TMachine>(TMachine machine, TimeProvider clock) : IHostedService
    where TSaga : class, SagaStateMachineInstance, ITransitionHistory
    where TMachine : MassTransitStateMachine<TSaga>
{
    IDisposable? _connection;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _connection = machine.ConnectStateObserver(new TransitionRecorder<TSaga>(clock));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _connection?.Dispose();
        return Task.CompletedTask;
    }
}
