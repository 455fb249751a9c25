using SagaDemo.Kafka.Configuration;
using SagaDemo.Kafka.Topology;

namespace SagaDemo.Kafka.Embedded;

/// <summary>
/// The mock cluster as a stand-alone dev broker for services in separate processes. It cannot serve
/// CreateTopics (no controller), so it creates every known topic and its dead-letter topic up front.
/// </summary>
public static class KafkaDevBroker
{
    public static MockKafkaCluster Start(KafkaOptions options, TopicCatalog catalog, int brokers = 1)
    {
        var cluster = new MockKafkaCluster(brokers);
        foreach (var topic in TopicProvisioner.WithDeadLetterTopics(catalog.TopicNames))
            cluster.CreateTopic(topic, options.SharedBrokerPartitions, options.ReplicationFactor);
        return cluster;
    }
}
