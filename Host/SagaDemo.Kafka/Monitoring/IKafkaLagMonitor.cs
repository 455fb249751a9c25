namespace SagaDemo.Kafka.Monitoring;

/// <summary>Lag of one consumer group on one partition: records behind the partition's end.</summary>
public sealed record PartitionLag(string Group, string Topic, int Partition, long Lag);

/// <summary>Consumer lag as librdkafka last reported it, for metrics and autoscaling.</summary>
public interface IKafkaLagMonitor
{
    IReadOnlyList<PartitionLag> Snapshot();

    /// <summary>Total lag of a group on a topic over the partitions this process owns.</summary>
    long TotalLag(string group, string topic);
}
