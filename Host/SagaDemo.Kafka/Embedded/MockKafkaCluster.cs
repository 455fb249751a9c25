using System.Runtime.InteropServices;
using System.Text;
using SagaDemo.Kafka.Native;

namespace SagaDemo.Kafka.Embedded;

/// <summary>
/// librdkafka's mock Kafka cluster: real Kafka protocol on 127.0.0.1 ports, in this process. The
/// embedded Kafka for running without infrastructure and for tests. Broker ids are 1..BrokerCount.
/// </summary>
public sealed class MockKafkaCluster : IDisposable
{
    readonly object _gate = new();
    IntPtr _handle;
    IntPtr _cluster;

    public MockKafkaCluster(int brokerCount = 1)
    {
        if (brokerCount < 1)
            throw new ArgumentOutOfRangeException(nameof(brokerCount), "A cluster needs at least one broker.");
        NativeLibraryLocator.EnsureLoaded();
        BrokerCount = brokerCount;

        // The mock cluster lives on a client handle (rdkafka_mock.h); a producer handle has no side effects.
        var conf = RdKafkaNative.ConfNew();
        var error = new byte[512];
        Set(conf, "client.id", "sagademo-mock-cluster");
        Set(conf, "log_level", "3");
        _handle = RdKafkaNative.New(RdKafkaNative.ProducerType, conf, error, (UIntPtr)error.Length);
        if (_handle == IntPtr.Zero)
        {
            RdKafkaNative.ConfDestroy(conf);
            throw new InvalidOperationException($"rd_kafka_new failed: {Text(error)}");
        }

        _cluster = RdKafkaNative.MockClusterNew(_handle, brokerCount);
        if (_cluster == IntPtr.Zero)
        {
            RdKafkaNative.Destroy(_handle);
            throw new InvalidOperationException("rd_kafka_mock_cluster_new failed.");
        }
        BootstrapServers = Marshal.PtrToStringUTF8(RdKafkaNative.MockClusterBootstraps(_cluster))
            ?? throw new InvalidOperationException("Mock cluster has no bootstrap servers.");
    }

    /// <summary>
    /// The mock keeps at most this many bytes per partition (and <see cref="RetainedMessageSetsPerPartition"/>
    /// message sets), fixed in librdkafka (2.0.2 to 2.16) and not configurable: older records are deleted as new ones
    /// arrive, and a consumer further behind than that resets to the earliest retained offset.
    /// </summary>
    public const long RetainedBytesPerPartition = 5 * 1024 * 1024;

    public const int RetainedMessageSetsPerPartition = 100_000;

    public int BrokerCount { get; }

    /// <summary>Comma list of host:port, the value for bootstrap.servers.</summary>
    public string BootstrapServers { get; }

    public void CreateTopic(string topic, int partitions, int replicationFactor = 1) =>
        Check(RdKafkaNative.MockTopicCreate(Cluster, topic, partitions, Math.Min(replicationFactor, BrokerCount)),
            $"create topic {topic}");

    /// <summary>
    /// Deletes the partition's records before <paramref name="beforeOffset"/> (Kafka's DeleteRecords): its log start moves
    /// there, and the mock frees the message sets wholly before it. A consumer positioned below it gets OFFSET_OUT_OF_RANGE.
    /// </summary>
    public void DeleteRecords(string topic, int partition, long beforeOffset) =>
        Check(RdKafkaNative.MockPartitionDeleteRecords(Cluster, topic, partition, beforeOffset),
            $"delete records of {topic} [{partition}] before {beforeOffset}");

    /// <summary>Closes the broker's listener and connections, like a crashed broker.</summary>
    public void SetBrokerDown(int brokerId) => Check(RdKafkaNative.MockBrokerSetDown(Cluster, brokerId), $"set broker {brokerId} down");

    public void SetBrokerUp(int brokerId) => Check(RdKafkaNative.MockBrokerSetUp(Cluster, brokerId), $"set broker {brokerId} up");

    public void SetBrokerRoundTripTime(int brokerId, TimeSpan rtt) =>
        Check(RdKafkaNative.MockBrokerSetRtt(Cluster, brokerId, (int)rtt.TotalMilliseconds), $"set broker {brokerId} rtt");

    /// <summary>
    /// The next requests of <paramref name="apiKey"/> (e.g. <see cref="KafkaApiKey.Produce"/>), on any
    /// broker, fail with <paramref name="errors"/> in order, one per request.
    /// </summary>
    public void PushRequestErrors(KafkaApiKey apiKey, params Confluent.Kafka.ErrorCode[] errors)
    {
        var codes = errors.Select(e => (int)e).ToArray();
        RdKafkaNative.MockPushRequestErrorsArray(Cluster, (short)apiKey, (UIntPtr)codes.Length, codes);
    }

    public void ClearRequestErrors(KafkaApiKey apiKey) => RdKafkaNative.MockClearRequestErrors(Cluster, (short)apiKey);

    IntPtr Cluster
    {
        get
        {
            var cluster = _cluster;
            ObjectDisposedException.ThrowIf(cluster == IntPtr.Zero, this);
            return cluster;
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            if (_cluster != IntPtr.Zero)
                RdKafkaNative.MockClusterDestroy(_cluster);
            if (_handle != IntPtr.Zero)
                RdKafkaNative.Destroy(_handle);
            _cluster = IntPtr.Zero;
            _handle = IntPtr.Zero;
        }
    }

    static void Set(IntPtr conf, string name, string value)
    {
        var error = new byte[512];
        if (RdKafkaNative.ConfSet(conf, name, value, error, (UIntPtr)error.Length) != 0)
            throw new InvalidOperationException($"rd_kafka_conf_set {name}: {Text(error)}");
    }

    static void Check(int error, string what)
    {
        if (error != 0)
            throw new InvalidOperationException($"Mock cluster: {what} failed: {RdKafkaNative.Describe(error)}");
    }

    static string Text(byte[] buffer) => Encoding.UTF8.GetString(buffer, 0, Math.Max(0, Array.IndexOf(buffer, (byte)0)));
}
