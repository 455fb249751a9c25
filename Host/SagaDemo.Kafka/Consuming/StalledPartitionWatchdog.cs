using Confluent.Kafka;
using Microsoft.Extensions.Logging;

namespace SagaDemo.Kafka.Consuming;

/// <summary>
/// Restarts fetching of an assigned, unpaused partition that has records to read but delivered none for
/// <c>StallTimeout</c>: it resumes it and seeks it to the next offset this consumer expects (just after the
/// last record it received, or the committed offset). librdkafka 2.0.2 left partitions un-fetched: a resume that
/// lost the race with the fetch start of a re-assignment was discarded as outdated (confluentinc/librdkafka#5591);
/// kept on 2.16 as a safety net that costs the poll thread nothing.
/// A seek is always safe here: it re-reads from exactly where this consumer stands, so a false alarm costs one
/// re-fetch, never a lost or repeated record.
/// </summary>
/// <remarks>
/// <see cref="Check"/> and the other members run on the poll thread. Whether a silent partition has records waiting
/// takes broker round trips (committed offset, high watermark), each of which can wait behind a Fetch the broker is
/// holding (up to fetch.wait.max.ms); they run in a background probe, one at a time, so the poll thread never waits
/// for them. Done on the poll thread, a group's idle partitions cost it one such wait each every StallTimeout, and
/// with 24 partitions and a 500 ms fetch wait the consumer stopped consuming for seconds at a time.
/// </remarks>
public sealed class StalledPartitionWatchdog(TimeSpan stallTimeout, ILogger logger, string group)
{
    static readonly TimeSpan CheckEvery = TimeSpan.FromSeconds(1);
    static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(2);

    sealed class State(DateTime now)
    {
        public DateTime LastActivity = now;
        public long? LastOffset;
    }

    /// <summary>A silent partition to look at: where this consumer stands in it when the probe started.</summary>
    sealed record Suspect(TopicPartition Partition, long? LastOffset);

    /// <summary>A partition found with records waiting after <see cref="Next"/>, the offset its fetch restarts at.</summary>
    sealed record Stall(TopicPartition Partition, long? LastOffset, long Next, long High);

    readonly Dictionary<TopicPartition, State> _partitions = new();
    readonly List<TopicPartition> _restarted = [];
    readonly CancellationTokenSource _stopping = new();
    DateTime _nextCheck = DateTime.UtcNow;
    Task<List<Stall>>? _probe;

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

    /// <summary>Restarts what the last probe found stalled, and starts the next probe when one is due. Never blocks.</summary>
    public void Check(IConsumer<string?, byte[]> consumer, Func<TopicPartition, bool> isPaused)
    {
        if (_probe is { IsCompleted: true } finished)
        {
            _probe = null;
            Restart(consumer, isPaused, finished.Result);
        }
        var now = DateTime.UtcNow;
        if (_probe is not null || now < _nextCheck)
            return;
        _nextCheck = now + CheckEvery;
        var suspects = new List<Suspect>();
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
            suspects.Add(new Suspect(tp, state.LastOffset));
        }
        if (suspects.Count > 0)
            _probe = Task.Run(() => Probe(consumer, suspects, _stopping.Token));
    }

    /// <summary>Stops probing and waits for a probe under way: the consumer must outlive every call on it.</summary>
    public void Stop()
    {
        _stopping.Cancel();
        _probe?.Wait(QueryTimeout * 3);
    }

    List<Stall> Probe(IConsumer<string?, byte[]> consumer, List<Suspect> suspects, CancellationToken stopping)
    {
        var stalls = new List<Stall>();
        foreach (var suspect in suspects)
        {
            if (stopping.IsCancellationRequested)
                break;
            try
            {
                var next = suspect.LastOffset + 1 ?? Committed(consumer, suspect.Partition);
                var high = consumer.QueryWatermarkOffsets(suspect.Partition, QueryTimeout).High.Value;
                if (next is not null && high > next)
                    stalls.Add(new Stall(suspect.Partition, suspect.LastOffset, next.Value, high));
            }
            catch (KafkaException ex)
            {
                logger.LogWarning("Group {Group}: checking {Partition} for a stalled fetch failed ({Reason})", group, suspect.Partition, ex.Error.Reason);
            }
        }
        return stalls;
    }

    void Restart(IConsumer<string?, byte[]> consumer, Func<TopicPartition, bool> isPaused, List<Stall> stalls)
    {
        foreach (var stall in stalls)
        {
            // Revoked, paused or delivering again since the probe looked: nothing to restart.
            if (!_partitions.TryGetValue(stall.Partition, out var state) || isPaused(stall.Partition) || state.LastOffset != stall.LastOffset)
                continue;
            logger.LogWarning("Group {Group}: {Partition} delivered nothing for {Timeout} with records up to {High} waiting; restarting its fetch at {Next}",
                group, stall.Partition, stallTimeout, stall.High, stall.Next);
            try
            {
                consumer.Resume([stall.Partition]);
                consumer.Seek(new TopicPartitionOffset(stall.Partition, stall.Next));
                _restarted.Add(stall.Partition);
            }
            catch (KafkaException ex)
            {
                logger.LogWarning("Group {Group}: restarting the fetch of {Partition} failed ({Reason})", group, stall.Partition, ex.Error.Reason);
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
