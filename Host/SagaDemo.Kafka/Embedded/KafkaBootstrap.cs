using Microsoft.Extensions.Options;
using SagaDemo.Kafka.Configuration;

namespace SagaDemo.Kafka.Embedded;

/// <summary>
/// Where this process finds Kafka: <c>Kafka:BootstrapServers</c> when configured, otherwise an embedded
/// mock cluster started on first use and stopped with the container.
/// </summary>
public sealed class KafkaBootstrap : IDisposable
{
    readonly Lazy<(string Servers, MockKafkaCluster? Cluster)> _resolved;

    public KafkaBootstrap(IOptions<KafkaOptions> options)
    {
        var configured = options.Value.BootstrapServers;
        _resolved = new Lazy<(string, MockKafkaCluster?)>(() =>
        {
            Native.NativeLibraryLocator.EnsureLoaded();
            if (!string.IsNullOrWhiteSpace(configured))
                return (configured, null);
            var cluster = new MockKafkaCluster(brokerCount: 1);
            return (cluster.BootstrapServers, cluster);
        });
    }

    /// <summary>Uses a mock cluster someone else owns (tests, the kafka-dev command) as this process's Kafka.</summary>
    /// <param name="shared">The cluster.</param>
    /// <param name="trimCommittedRecords">
    /// Whether this process may delete what its consumer groups committed (<see cref="TrimsCommittedRecords"/>): only when
    /// no other process or test reads the topics it consumes.
    /// </param>
    public KafkaBootstrap(MockKafkaCluster shared, bool trimCommittedRecords = false)
    {
        _resolved = new Lazy<(string, MockKafkaCluster?)>(() => (shared.BootstrapServers, shared));
        _owned = false;
        TrimsCommittedRecords = trimCommittedRecords;
    }

    readonly bool _owned = true;

    /// <summary>
    /// True when this process is the embedded cluster's only consumer (it started the cluster, or its owner said so), so
    /// it may delete the records its consumer groups committed (<see cref="CommittedLogTrimmer"/>).
    /// </summary>
    public bool TrimsCommittedRecords { get; } = true;

    public string BootstrapServers => _resolved.Value.Servers;

    /// <summary>The embedded cluster, or null when an external Kafka is configured.</summary>
    public MockKafkaCluster? EmbeddedCluster => _resolved.Value.Cluster;

    public void Dispose()
    {
        if (_owned && _resolved.IsValueCreated)
            _resolved.Value.Cluster?.Dispose();
    }
}
