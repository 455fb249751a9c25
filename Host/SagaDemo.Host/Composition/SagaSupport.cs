using MassTransit;
using SagaDemo.Host.Observability;
using SagaDemo.Host.OperationsConsole;
using SagaDemo.Host.RoleModules;
using SagaDemo.Persistence.Sagas;
using SagaDemo.Sagas.Timeline;
using SagaDemo.Services.Hosting.Deadlines;
using SagaDemo.Services.Hosting.Retention;

namespace SagaDemo.Host.Composition;

/// <summary>What every saga role adds around its state machine.</summary>
public static class SagaSupport
{
    /// <summary>
    /// The deadline source its watcher reads (PostgreSQL's indexed deadline, else <paramref name="scan"/> of the in-memory
    /// repository), in memory the eviction of instances in <paramref name="terminalStates"/>, its state metrics, and its
    /// transitions in the console under <paramref name="timeline"/>.
    /// </summary>
    public static void AddSagaSupport<TState, TMachine>(this RoleContext context, string timeline, Func<TState, string> currentState,
        Func<IServiceProvider, ISagaDeadlineSource<TState>> scan, params string[] terminalStates)
        where TState : class, SagaStateMachineInstance, ISagaVersion, ITransitionHistory
        where TMachine : MassTransitStateMachine<TState>
    {
        var services = context.Services;
        if (context.Postgres)
            services.AddSingleton<ISagaDeadlineSource<TState>, PostgresSagaDeadlineSource<TState>>();
        else
        {
            services.AddSingleton(scan);
            services.AddTerminalSagaEviction<TState>(terminalStates);
        }
        services.AddHostedService<SagaStateMetrics<TState>>();
        services.AddSagaTimeline<TState, TMachine>(timeline, currentState);
    }
}
