using Confluent.Kafka;
using Confluent.Kafka.Admin;
using Microsoft.Extensions.Logging;
using SagaDemo.Kafka.Configuration;

namespace SagaDemo.Kafka.Topology;

/// <summary>Creates missing topics (and their dead-letter topics) at start; existing topics are left as they are.</summary>
public sealed class TopicProvisioner(KafkaOptions options, string bootstrapServers, ILogger logger)
{
    public static IReadOnlyList<string> WithDeadLetterTopics(IEnumerable<string> topics) =>
        topics.SelectMany(t => new[] { t, TopicCatalog.DeadLetterTopic(t) }).Distinct().ToList();

    /// <summary>
    /// The mock cluster has no controller, so it cannot serve CreateTopics: it gets its topics through its own API.
    /// </summary>
    public void EnsureOnMockCluster(Embedded.MockKafkaCluster cluster, IEnumerable<string> topics)
    {
        using var admin = new AdminClientBuilder(KafkaClientConfigs.Admin(options, bootstrapServers)).Build();
        var existing = admin.GetMetadata(TimeSpan.FromSeconds(10)).Topics
            .Where(t => t.Error.Code == ErrorCode.NoError).Select(t => t.Topic).ToHashSet(StringComparer.Ordinal);
        foreach (var topic in WithDeadLetterTopics(topics).Where(t => !existing.Contains(t)))
            cluster.CreateTopic(topic, options.InProcessPartitions, options.ReplicationFactor);
    }

    public async Task EnsureAsync(IEnumerable<string> topics, CancellationToken cancellationToken)
    {
        var wanted = WithDeadLetterTopics(topics);
        using var admin = new AdminClientBuilder(KafkaClientConfigs.Admin(options, bootstrapServers)).Build();

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            try
            {
                var existing = admin.GetMetadata(TimeSpan.FromSeconds(10)).Topics
                    .Where(t => t.Error.Code == ErrorCode.NoError)
                    .Select(t => t.Topic).ToHashSet(StringComparer.Ordinal);
                var missing = wanted.Where(t => !existing.Contains(t)).ToList();
                if (missing.Count == 0)
                    return;

                await admin.CreateTopicsAsync(missing.Select(t => new TopicSpecification
                {
                    Name = t,
                    NumPartitions = options.SharedBrokerPartitions,
                    ReplicationFactor = options.ReplicationFactor,
                }), new CreateTopicsOptions { RequestTimeout = TimeSpan.FromSeconds(10) });
                logger.LogInformation("Created Kafka topics {Topics} with {Partitions} partitions", string.Join(", ", missing), options.SharedBrokerPartitions);
                return;
            }
            catch (CreateTopicsException ex) when (ex.Results.All(r => r.Error.Code is ErrorCode.NoError or ErrorCode.TopicAlreadyExists))
            {
                return; // another replica created them first
            }
            catch (KafkaException ex) when (DateTime.UtcNow < deadline)
            {
                // The broker may still be starting (e.g. in a fresh cluster); topics are needed before anything else.
                logger.LogWarning("Kafka topic provisioning failed, retrying: {Error}", ex.Error.Reason);
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }
    }
}
