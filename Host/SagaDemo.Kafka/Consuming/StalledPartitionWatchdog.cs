using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace SagaDemo.Kafka.Consuming;

/// <summary>
/// Restarts fetching of an assigned, unpaused partition that has records to read but delivered none for
/// <c>StallTimeout</c>: it resumes it and seeks it to the next offset this consumer expects (just after the
/// last record it received, or the committed offset). librdkafka 2.0.2 can leave a partition un-fetched:
/// a resume that loses the race with the fetch start of a re-assignment is discarded as outdated
/// (confluentinc/librdkafka#5591), and a resume is noticed only when the broker thread next wakes. A seek
/// is always safe here: it re-reads from exactly where this consumer stands, so a false alarm costs one
/// re-fetch, never a lost or repeated record.
/// </summary>
/// <remarks>Used only by the poll thread. Broker round trips happen only for partitions already silent for StallTimeout.</remarks>
public sealed class StalledPartitionWatchdog(TimeSpan stallTimeout, ILogger logger, string group)
{
    static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(1);
    static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(2);

    sealed class State(DateTime now)
    {
        public DateTime LastActivity = now;
        public long? LastOffset;
    }

    readonly Dictionary<TopicPartition, State> _partitions = new();
    DateTime _nextCheck = DateTime.UtcNow;

    readonly List<TopicPartition> _restarted = [];

    /// <summary>Partitions whose fetch was restarted, in order (for tests and diagnostics).</summary>
    public IReadOnlyList<TopicPartition> Restarted => _restarted;

    public void Assigned(IEnumerable<TopicPartition> partitions)
    {
        var now = DateTime.UtcNow;
        foreach (var tp in partitions)
            _partitions[tp] = new State(now);
    }

    public void Released(IEnumerable<TopicPartition> partitions)
    {
        foreach (var tp in partitions)
            _partitions.Remove(tp);
    }

    public void Received(TopicPartitionOffset record)
    {
        if (_partitions.TryGetValue(record.TopicPartition, out var state))
        {
            state.LastActivity = DateTime.UtcNow;
            state.LastOffset = record.Offset.Value;
        }
    }

    /// <summary>A paused partition is silent on purpose; its clock restarts when it is resumed.</summary>
    public void Resumed(IEnumerable<TopicPartition> partitions)
    {
        var now = DateTime.UtcNow;
        foreach (var tp in partitions)
            if (_partitions.TryGetValue(tp, out var state))
                state.LastActivity = now;
    }

    public void Check(IConsumer<string?, byte[]> consumer, Func<TopicPartition, bool> isPaused)
    {
        var now = DateTime.UtcNow;
        if (now < _nextCheck)
            return;
        _nextCheck = now + CheckEvery;
        foreach (var (tp, state) in _partitions)
        {
            if (isPaused(tp))
            {
                state.LastActivity = now;
                continue;
            }
            if (now - state.LastActivity < stallTimeout)
                continue;
            state.LastActivity = now; // one look per StallTimeout, found stalled or not
            try
            {
                var next = state.LastOffset + 1 ?? Committed(consumer, tp);
                var high = consumer.QueryWatermarkOffsets(tp, QueryTimeout).High.Value;
                if (next is null || high <= next)
                    continue; // nothing to read (or nothing known to start from)
                logger.LogWarning("Group {Group}: {Partition} delivered nothing for {Timeout} with records up to {High} waiting; restarting its fetch at {Next}",
                    group, tp, stallTimeout, high, next);
                consumer.Resume([tp]);
                consumer.Seek(new TopicPartitionOffset(tp, next.Value));
                _restarted.Add(tp);
            }
            catch (KafkaException ex)
            {
                logger.LogWarning("Group {Group}: checking {Partition} for a stalled fetch failed ({Reason})", group, tp, ex.Error.Reason);
            }
        }
    }

    static long? Committed(IConsumer<string?, byte[]> consumer, TopicPartition tp)
    {
        var committed = consumer.Committed([tp], QueryTimeout).Single().Offset;
        if (committed.Value >= 0)
            return committed.Value;
        // Nothing committed: the group starts at the beginning (auto.offset.reset=earliest).
        return consumer.QueryWatermarkOffsets(tp, QueryTimeout).Low.Value;
    }
}
