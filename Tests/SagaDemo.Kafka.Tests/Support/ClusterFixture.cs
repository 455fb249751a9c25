using SagaDemo.Kafka.Embedded;

namespace SagaDemo.Kafka.Tests.Support;

/// <summary>One embedded mock cluster per test class; tests use fresh topic names so they do not interfere.</summary>
public sealed class ClusterFixture : IDisposable
{
    public MockKafkaCluster Cluster { get; } = new(brokerCount: 1);
    public string Bootstrap => Cluster.BootstrapServers;
    public void Dispose() => Cluster.Dispose();
}
