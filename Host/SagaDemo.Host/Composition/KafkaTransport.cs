using MassTransit;
using SagaDemo.Kafka.Consuming;
using SagaDemo.Host.Observability;
using SagaDemo.Host.RoleModules;
using SagaDemo.Kafka.Registration;
using SagaDemo.Services.Hosting;
using SagaDemo.Telemetry.Health;

namespace SagaDemo.Host.Composition;

/// <summary>
/// How services talk: over Kafka (default; every service, embedded or not) or, with <c>Transport=InMemory</c>,
/// over MassTransit's in-memory transport (one process only; for tests of the foundation).
/// In Kafka mode the bus has no receive endpoints of its own: the Kafka rider feeds each consumer group's
/// topics into the receive endpoint of the same name, and publishes go to Kafka.
/// </summary>
public static class KafkaTransport
{
    public const string TransportKey = "Transport";
    public const string InMemory = "InMemory";

    public static bool IsEnabled(IConfiguration configuration) =>
        !string.Equals(configuration[TransportKey], InMemory, StringComparison.OrdinalIgnoreCase);

    /// <summary>The bus half: call inside UsingInMemory instead of ConfigureEndpoints.</summary>
    public static void ConfigureBus(IBusRegistrationContext context, IInMemoryBusFactoryConfigurator cfg, bool kafka)
    {
        // Bus-level, so every receive endpoint (the Kafka rider's and in-memory ones) inherits it.
        cfg.UseConsumeFilter(typeof(OperationScopeConsumeFilter<>), context);
        if (kafka)
            cfg.UseKafkaRider(context);
        else
            cfg.ConfigureEndpoints(context);
    }

    /// <summary>
    /// The rider half: call after AddMassTransit, so the rider starts after the bus and stops before it. Every record
    /// read is held to <see cref="MessageRules"/>; the roles this process runs are the producers it signs for.
    /// </summary>
    public static IServiceCollection AddKafkaTransport(this IServiceCollection services, IConfiguration configuration, Roles roles)
    {
        services.AddSingleton<KafkaReadinessCheck>();
        services.AddHealthChecks().AddReadyCheck<KafkaReadinessCheck>("kafka");
        services.AddSingleton<IMessageRules, ContractMessageRules>();
        return services.AddKafkaRider(configuration, RoleCatalog.Topics,
            roles.Modules.SelectMany(r => r.ConsumerGroups).Select(g => new TopicEndpoint(g.Name, g.Topics)), roles.Active);
    }

    /// <summary>The services' <see cref="MessageRules"/> as the rider's hook (the rider and the services know nothing of each other).</summary>
    sealed class ContractMessageRules : IMessageRules
    {
        public string? Violation(object message) => MessageRules.Violation(message);
    }
}
