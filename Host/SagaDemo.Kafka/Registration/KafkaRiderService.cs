using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SagaDemo.Kafka.Configuration;
using SagaDemo.Kafka.Consuming;
using SagaDemo.Kafka.Embedded;
using SagaDemo.Kafka.Monitoring;
using SagaDemo.Kafka.Native;
using SagaDemo.Kafka.Signing;
using SagaDemo.Kafka.Topology;

namespace SagaDemo.Kafka.Registration;

/// <summary>
/// Starts after the MassTransit bus (registered after it): creates missing topics, then runs one consume
/// loop per topic endpoint. Stops before the bus, so every fetched record finishes and is committed first.
/// </summary>
sealed class KafkaRiderService(
    KafkaBootstrap bootstrap,
    IOptions<KafkaOptions> options,
    TopicCatalog catalog,
    KafkaRiderEndpoints endpoints,
    RecordDispatcher dispatcher,
    EndpointDispatchers receiveEndpoints,
    KafkaLagMonitor lag,
    KafkaMetrics metrics,
    RecordLossMonitor losses,
    SigningKeyRing keys,
    ILoggerFactory loggers) : IHostedService
{
    readonly CancellationTokenSource _stopping = new();
    readonly List<Task> _loops = [];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var logger = loggers.CreateLogger("SagaDemo.Kafka");
        var servers = bootstrap.BootstrapServers; // loads and checks librdkafka first
        var library = NativeLibraryLocator.EnsureLoaded();
        logger.LogInformation("librdkafka {Version} ({Features}) from {Path}", library.Version, library.Features, library.Path);
        logger.LogInformation("Kafka bootstrap servers: {BootstrapServers}", servers);
        if (keys.Mode == SigningMode.Off)
            logger.LogWarning("Kafka:Signing:Mode is Off: records are neither signed nor checked; the broker's ACLs alone decide who writes each topic");
        else if (keys.Generated.Count > 0)
            logger.LogInformation("Signing the records of {Producers} with keys generated for this process (Kafka runs inside it)",
                string.Join(", ", keys.Generated));

        var provisioner = new TopicProvisioner(options.Value, servers, logger);
        var topics = catalog.TopicNames.Concat(endpoints.All.SelectMany(e => e.Topics)).ToList();
        if (bootstrap.EmbeddedCluster is { } cluster)
            provisioner.EnsureOnMockCluster(cluster, topics);
        else
            await provisioner.EnsureAsync(topics, cancellationToken);

        foreach (var endpoint in endpoints.All)
        {
            // Consuming a group's topics without its handlers would dead-letter every record: skip it instead.
            if (!receiveEndpoints.IsRegistered(endpoint.EndpointName))
            {
                logger.LogWarning("No consumer or saga is registered for endpoint {Endpoint}; not consuming {Topics}",
                    endpoint.EndpointName, string.Join(", ", endpoint.Topics));
                continue;
            }
            receiveEndpoints.For(endpoint.EndpointName); // configuration errors surface at start, not at the first record
            var consumer = new TopicEndpointConsumer(endpoint, options.Value.For(endpoint.Group),
                KafkaClientConfigs.Consumer(options.Value, servers, endpoint.Group, bootstrap.EmbeddedCluster is not null), dispatcher, lag,
                loggers.CreateLogger($"SagaDemo.Kafka.{endpoint.Group}"), metrics, losses);
            _loops.Add(consumer.RunAsync(_stopping.Token));
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await Task.WhenAll(_loops);
    }
}
