using Confluent.Kafka;
using SagaDemo.Kafka.Consuming;

namespace SagaDemo.Kafka.Tests;

/// <summary>The byte side of back-pressure: what a partition's unfinished records hold, finished in any order.</summary>
public sealed class InFlightBytesTests
{
    static readonly TopicPartition P0 = new("t", 0);
    static readonly TopicPartition P1 = new("t", 1);

    static TopicPartitionOffset At(TopicPartition tp, long offset) => new(tp, offset);

    [Fact]
    public void Bytes_count_from_fetch_to_finish_per_partition_whatever_the_finishing_order()
    {
        var tracker = new PartitionOffsetTracker();
        tracker.Fetched(At(P0, 0), 1000);
        tracker.Fetched(At(P0, 1), 300);
        tracker.Fetched(At(P1, 0), 50);
        Assert.Equal(1300, tracker.InFlightBytes(P0));
        Assert.Equal(50, tracker.InFlightBytes(P1));

        // The later record finishes first: its memory is free although the commit still waits for offset 0.
        tracker.Finished(At(P0, 1), 300);
        Assert.Equal(1000, tracker.InFlightBytes(P0));
        Assert.Empty(tracker.ToCommit([P0]));
        Assert.Equal(2, tracker.InFlight(P0));

        tracker.Finished(At(P0, 0), 1000);
        Assert.Equal(0, tracker.InFlightBytes(P0));
        Assert.Equal(new TopicPartitionOffset(P0, 2), Assert.Single(tracker.ToCommit([P0])));

        tracker.Remove([P1]);
        Assert.Equal(0, tracker.InFlightBytes(P1));
    }
}
