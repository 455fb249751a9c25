using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Confluent.Kafka;
using SagaDemo.Kafka.Configuration;
using SagaDemo.Kafka.Embedded;

namespace SagaDemo.Kafka.Registration;

/// <summary>
/// Runs <see cref="CommittedLogTrimmer"/> every <c>Kafka:EmbeddedLogTrim:Interval</c> while this process owns an embedded
/// cluster that nobody else consumes (<see cref="KafkaBootstrap.TrimsCommittedRecords"/>); otherwise does nothing.
/// </summary>
sealed class EmbeddedLogTrimService(
    KafkaBootstrap bootstrap,
    IOptions<KafkaOptions> options,
    KafkaRiderEndpoints endpoints,
    ILogger<EmbeddedLogTrimService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value.EmbeddedLogTrim;
        if (settings.Interval <= TimeSpan.Zero || !bootstrap.TrimsCommittedRecords || bootstrap.EmbeddedCluster is not { } cluster)
            return;
        using var admin = new AdminClientBuilder(KafkaClientConfigs.Admin(options.Value, bootstrap.BootstrapServers)).Build();
        var trimmer = new CommittedLogTrimmer(cluster, admin, endpoints.All, settings.KeepRecords);
        using var timer = new PeriodicTimer(settings.Interval);
        var failing = false;
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                var moved = await trimmer.TrimAsync(stoppingToken);
                if (moved.Count > 0)
                    logger.LogDebug("Trimmed committed records: {Partitions}", string.Join(", ", moved));
                failing = false;
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // Trimming only saves the broker work: a failed pass keeps records, and the next one tries again; it must never stop the host.
                if (!failing)
                    logger.LogWarning(ex, "Trimming committed records on the embedded cluster failed; retrying every {Interval}", settings.Interval);
                failing = true;
            }
        }
    }
}
