using MassTransit;
using SagaDemo.Telemetry.Instruments;

namespace SagaDemo.Host.Observability;

/// <summary>Connects a <see cref="SagaStateCounter{TInstance}"/> to a state machine and exports it.</summary>
public sealed class SagaStateMetrics<TInstance>(SagaStateMachine<TInstance> machine, SagaDemoMetrics metrics)
    : IHostedService where TInstance : class, SagaStateMachineInstance
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var counter = new SagaStateCounter<TInstance>();
        machine.ConnectStateObserver(counter);
        metrics.ObserveSagaStates(typeof(TInstance).Name.Replace("State", ""), () => counter.Counts);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
