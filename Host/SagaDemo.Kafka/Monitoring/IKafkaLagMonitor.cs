namespace SagaDemo.Kafka.Monitoring;

/// <summary>Lag of one consumer group on one partition: records behind the partition's end.</summary>
public sealed record PartitionLag(string Group, string Topic, int Partition, long Lag);

/// <summary>A partition's log-end offset (high watermark) as a consumer of it last saw it.</summary>
public sealed record PartitionEndOffset(string Topic, int Partition, long Offset);

/// <summary>
/// A consumer group member's state from librdkafka statistics: <c>cgrp.state</c> ("up" once the coordinator is
/// known and connected), <c>cgrp.join_state</c> ("steady" once joined and assigned), how many partitions it
/// holds, and whether any broker connection is up.
/// </summary>
public sealed record GroupMemberState(string Group, string State, string JoinState, int AssignedPartitions,
    int BrokersUp, DateTimeOffset ReportedAt)
{
    public bool Joined => State == "up" && JoinState == "steady";
}

/// <summary>Consumer lag as librdkafka last reported it, for metrics and autoscaling.</summary>
public interface IKafkaLagMonitor
{
    IReadOnlyList<PartitionLag> Snapshot();

    /// <summary>Total lag of a group on a topic over the partitions this process owns.</summary>
    long TotalLag(string group, string topic);

    /// <summary>Log-end offsets of the partitions this process's consumers fetch (one entry per partition).</summary>
    IReadOnlyList<PartitionEndOffset> EndOffsets();

    /// <summary>The last reported state of a group's member in this process, or null before its first report.</summary>
    GroupMemberState? GroupState(string group);
}
