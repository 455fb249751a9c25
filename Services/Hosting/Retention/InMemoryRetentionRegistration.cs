using MassTransit;
using MassTransit.Saga;

namespace SagaDemo.Services.Hosting.Retention;

public static class InMemoryRetentionRegistration
{
    /// <summary>Prunes every registered <see cref="IRetainedStore"/> (section <c>Retention</c>).</summary>
    public static IServiceCollection AddInMemoryRetention(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<RetentionOptions>(configuration.GetSection(RetentionOptions.Section));
        services.AddHostedService<InMemoryRetentionService>();
        return services;
    }

    /// <summary>
    /// Registers <typeparamref name="TStore"/> once, as <typeparamref name="TService"/> and as an
    /// <see cref="IRetainedStore"/>, so the retention service prunes the instance the services use.
    /// </summary>
    public static IServiceCollection AddRetainedStore<TService, TStore>(this IServiceCollection services)
        where TService : class
        where TStore : class, TService, IRetainedStore
    {
        services.AddSingleton<TStore>();
        services.AddSingleton<TService>(sp => sp.GetRequiredService<TStore>());
        services.AddSingleton<IRetainedStore>(sp => sp.GetRequiredService<TStore>());
        return services;
    }

    /// <summary>Evicts <typeparamref name="TSaga"/> instances from the in-memory repository after they spent retention in a terminal state.</summary>
    public static IServiceCollection AddTerminalSagaEviction<TSaga>(this IServiceCollection services, params string[] terminalStates)
        where TSaga : class, SagaStateMachineInstance
    {
        var names = terminalStates.ToHashSet(StringComparer.Ordinal);
        services.AddSingleton<IRetainedStore>(sp =>
        {
            var eviction = new TerminalSagaEviction<TSaga>(sp.GetRequiredService<IndexedSagaDictionary<TSaga>>(), names,
                sp.GetRequiredService<TimeProvider>());
            sp.GetRequiredService<SagaStateMachine<TSaga>>().ConnectStateObserver(eviction);
            return eviction;
        });
        return services;
    }
}
