using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SagaDemo.Kafka.Configuration;
using SagaDemo.Kafka.Consuming;
using SagaDemo.Kafka.Embedded;
using SagaDemo.Kafka.Monitoring;
using SagaDemo.Kafka.Producing;
using SagaDemo.Kafka.Signing;
using SagaDemo.Kafka.Topology;

namespace SagaDemo.Kafka.Registration;

public static class KafkaRiderServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Kafka rider: configuration section <c>Kafka</c>, the producer, one consume loop per
    /// topic endpoint, lag monitor and metrics. Call after <c>AddMassTransit</c> (so the rider starts after the
    /// bus and stops before it), and put the bus in Kafka mode with <see cref="KafkaBusConfiguratorExtensions.UseKafkaRider"/>.
    /// </summary>
    /// <param name="topics">The app's topics and their message types (the rider knows no application of its own).</param>
    /// <param name="producers">
    /// The producing services (<see cref="TopicDefinition.Producer"/>) this process runs: it signs
    /// their records, so it needs their keys, as it needs those of the producers of every topic it reads.
    /// </param>
    public static IServiceCollection AddKafkaRider(this IServiceCollection services, IConfiguration configuration,
        TopicCatalog topics, IEnumerable<TopicEndpoint> endpoints, IEnumerable<string>? producers = null)
    {
        var endpointList = endpoints.ToList();
        var producing = producers?.ToList() ?? [];
        services.AddOptions<KafkaOptions>().Bind(configuration.GetSection(KafkaOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KafkaOptions>, KafkaOptionsValidator>());

        services.AddSingleton(topics);
        services.TryAddSingleton(new MessageKeySelector());
        services.TryAddSingleton<KafkaBootstrap>();
        services.TryAddSingleton<KafkaLagMonitor>();
        services.TryAddSingleton<IKafkaLagMonitor>(sp => sp.GetRequiredService<KafkaLagMonitor>());
        services.TryAddSingleton(sp => new KafkaMetrics(sp.GetRequiredService<IKafkaLagMonitor>(), sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.TryAddSingleton(sp => new RecordLossMonitor(sp.GetRequiredService<KafkaMetrics>(), sp.GetService<TimeProvider>()));
        services.TryAddSingleton<KafkaMessageProducer>();
        services.TryAddSingleton<DeadLetterWriter>();
        services.TryAddSingleton<EndpointDispatchers>();
        services.TryAddSingleton<RecordValidator>();
        services.TryAddSingleton<RecordDispatcher>();
        services.TryAddSingleton<KafkaPublishFilter>();
        services.TryAddSingleton(sp =>
        {
            var catalog = sp.GetRequiredService<TopicCatalog>();
            // Kafka inside this process: nobody else can produce or read its topics, so every key nobody configured is
            // generated at random. Otherwise the keys of the services it runs and of those whose topics it reads.
            var inProcess = sp.GetRequiredService<KafkaBootstrap>().EmbeddedCluster is not null;
            var needed = inProcess
                ? catalog.Producers
                : catalog.Producers.Intersect(producing, StringComparer.OrdinalIgnoreCase)
                    .Concat(catalog.ProducersOf(endpointList.SelectMany(e => e.Topics)));
            return SigningKeyRing.Create(sp.GetRequiredService<IOptions<KafkaOptions>>().Value.Signing, needed, generateMissing: inProcess);
        });
        services.TryAddSingleton<RecordSignatures>();
        services.TryAddSingleton<OutgoingRecords>();
        services.AddSingleton(new KafkaRiderEndpoints(endpointList));
        services.AddHostedService<KafkaRiderService>();
        services.AddHostedService<EmbeddedLogTrimService>();
        return services;
    }
}
