using MassTransit;
using Npgsql;
using SagaDemo.Host.Composition;
using SagaDemo.Host.Observability;
using SagaDemo.Host.OperationsConsole.DeadLetters;
using SagaDemo.Host.OperationsConsole.Timeline;
using SagaDemo.Persistence.Operations;
using SagaDemo.Persistence.Schema;
using SagaDemo.Sagas.OrderFulfilment;
using SagaDemo.Sagas.UserRegistration;
using SagaDemo.Services.Operations;
using SagaDemo.Services.Operations.Browsing;
using SagaDemo.Services.Operations.DeadLetters;

namespace SagaDemo.Host.OperationsConsole;

/// <summary>
/// Wires the operations console: every saga role records its instances' transitions; the api role lists operations,
/// reads the timelines of the sagas running in its process, and (over Kafka) reads and acts on dead letters.
/// </summary>
public static class ConsoleRegistration
{
    /// <summary>Call before AddMassTransit, so the transition recorders are connected before the bus consumes.</summary>
    public static IServiceCollection AddOperationsConsole(this IServiceCollection services, IConfiguration configuration, Roles roles,
        bool kafka, bool postgres)
    {
        services.AddOptions<ConsoleOptions>().Bind(configuration.GetSection(ConsoleOptions.Section))
            .Validate(o => o.TraceUrl is null || ConsoleOptions.IsTraceUrlTemplate(o.TraceUrl),
                $"Console:TraceUrl must be an absolute http(s) URL containing {ConsoleOptions.TraceIdPlaceholder}.")
            .ValidateOnStart();
        if (roles.Has(Roles.Users))
        {
            services.AddHostedService<TransitionRecorderStartup<UserRegistrationState, UserRegistrationStateMachine>>();
            services.AddSingleton<ISagaTimelineSource>(sp => new SagaTimelineSource<UserRegistrationState>("user-registration",
                sp.GetRequiredService<ILoadSagaRepository<UserRegistrationState>>(), s => s.CurrentState));
        }
        if (roles.Has(Roles.Orders))
        {
            services.AddHostedService<TransitionRecorderStartup<OrderState, OrderStateMachine>>();
            services.AddSingleton<ISagaTimelineSource>(sp => new SagaTimelineSource<OrderState>("order",
                sp.GetRequiredService<ILoadSagaRepository<OrderState>>(), s => s.CurrentState));
        }
        if (!roles.Has(Roles.Api))
            return services;

        services.AddSingleton(sp => sp.GetRequiredKeyedService<IOperationStore>(MeteredOperationStore.InnerKey) as IOperationBrowser
            ?? throw new InvalidOperationException("The operation store cannot list operations."));
        if (!kafka)
            return services;
        if (postgres)
            services.AddSingleton<IDeadLetterDecisions>(sp =>
                new PostgresDeadLetterDecisions(sp.GetRequiredService<NpgsqlDataSource>(), SagaDemoSchemas.Operations.Name));
        else
            services.AddSingleton<IDeadLetterDecisions, InMemoryDeadLetterDecisions>();
        services.AddSingleton<DeadLetterReader>();
        services.AddSingleton<DeadLetterActionsService>();
        return services;
    }
}
