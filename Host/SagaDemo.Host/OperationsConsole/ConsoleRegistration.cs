using MassTransit;
using Npgsql;
using SagaDemo.Host.Observability;
using SagaDemo.Host.OperationsConsole.DeadLetters;
using SagaDemo.Host.OperationsConsole.Timeline;
using SagaDemo.Persistence.Operations;
using SagaDemo.Services.Operations;
using SagaDemo.Services.Operations.Browsing;
using SagaDemo.Services.Operations.DeadLetters;
using SagaDemo.Sagas.Timeline;

namespace SagaDemo.Host.OperationsConsole;

/// <summary>
/// Wires the operations console: every saga role records its instances' transitions (<see cref="AddSagaTimeline"/>);
/// the api role lists operations, reads the timelines of the sagas running in its process, and (over Kafka) reads and
/// acts on dead letters (<see cref="AddOperationsConsole"/>).
/// </summary>
public static class ConsoleRegistration
{
    /// <summary>The console's settings, checked in every process whichever roles it runs.</summary>
    public static IServiceCollection AddConsoleOptions(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ConsoleOptions>().Bind(configuration.GetSection(ConsoleOptions.Section))
            .Validate(o => o.TraceUrl is null || ConsoleOptions.IsTraceUrlTemplate(o.TraceUrl),
                $"Console:TraceUrl must be an absolute http(s) URL containing {ConsoleOptions.TraceIdPlaceholder}.")
            .ValidateOnStart();
        return services;
    }

    /// <summary>
    /// Records the transitions of a saga's instances, shown under <paramref name="name"/>. Call before AddMassTransit,
    /// so the recorder is connected before the bus consumes.
    /// </summary>
    public static IServiceCollection AddSagaTimeline<TState, TMachine>(this IServiceCollection services, string name,
        Func<TState, string> currentState)
        where TState : class, SagaStateMachineInstance, ITransitionHistory
        where TMachine : MassTransitStateMachine<TState>
    {
        services.AddHostedService<TransitionRecorderStartup<TState, TMachine>>();
        services.AddSingleton<ISagaTimelineSource>(sp => new SagaTimelineSource<TState>(name,
            sp.GetRequiredService<ILoadSagaRepository<TState>>(), currentState));
        return services;
    }

    /// <summary>The api role's part: operation lists, and dead letters over Kafka (decisions kept in <paramref name="schema"/>, if any).</summary>
    public static IServiceCollection AddOperationsConsole(this IServiceCollection services, bool kafka, string? schema)
    {
        services.AddSingleton(sp => sp.GetRequiredKeyedService<IOperationStore>(MeteredOperationStore.InnerKey) as IOperationBrowser
            ?? throw new InvalidOperationException("The operation store cannot list operations."));
        if (!kafka)
            return services;
        if (schema is not null)
            services.AddSingleton<IDeadLetterDecisions>(sp =>
                new PostgresDeadLetterDecisions(sp.GetRequiredService<NpgsqlDataSource>(), schema));
        else
            services.AddSingleton<IDeadLetterDecisions, InMemoryDeadLetterDecisions>();
        services.AddSingleton<DeadLetterReader>();
        services.AddSingleton<DeadLetterActionsService>();
        return services;
    }
}
