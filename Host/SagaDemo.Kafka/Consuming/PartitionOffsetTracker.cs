using Confluent.Kafka;

namespace SagaDemo.Kafka.Consuming;

/// <summary>
/// Per partition, the fetched records not yet finished, in fetch order. The committable position is just
/// past the last record finished with every earlier record of its partition also finished: a slow record
/// holds back the commit of everything after it, so a crash never skips it.
/// </summary>
public sealed class PartitionOffsetTracker
{
    sealed class Partition
    {
        public readonly Queue<long> Pending = new();
        public readonly HashSet<long> Finished = [];
        public long? Committable; // next offset to read, once every record before it finished
        public long? Committed;
        public long Bytes; // of fetched records not yet finished
    }

    readonly object _gate = new();
    readonly Dictionary<TopicPartition, Partition> _partitions = new();

    /// <summary>Called in fetch order, which is offset order within a partition; <paramref name="bytes"/> is the record's size.</summary>
    public void Fetched(TopicPartitionOffset record, long bytes = 0)
    {
        lock (_gate)
        {
            var p = Get(record.TopicPartition);
            p.Pending.Enqueue(record.Offset.Value);
            p.Bytes += bytes;
        }
    }

    /// <summary>The record is done with; <paramref name="bytes"/> as given to <see cref="Fetched"/>.</summary>
    public void Finished(TopicPartitionOffset record, long bytes = 0)
    {
        lock (_gate)
        {
            if (!_partitions.TryGetValue(record.TopicPartition, out var p))
                return; // partition was dropped (lost); its records will be read again by its new owner
            p.Bytes -= bytes;
            p.Finished.Add(record.Offset.Value);
            while (p.Pending.Count > 0 && p.Finished.Remove(p.Pending.Peek()))
                p.Committable = p.Pending.Dequeue() + 1;
            Monitor.PulseAll(_gate);
        }
    }

    public int InFlight(TopicPartition partition)
    {
        lock (_gate)
            return _partitions.TryGetValue(partition, out var p) ? p.Pending.Count : 0;
    }

    /// <summary>Bytes of a partition's records fetched and not finished: what its records in the lanes hold.</summary>
    public long InFlightBytes(TopicPartition partition)
    {
        lock (_gate)
            return _partitions.TryGetValue(partition, out var p) ? p.Bytes : 0;
    }

    /// <summary>Offsets to commit: partitions whose committable position moved since the last commit.</summary>
    public List<TopicPartitionOffset> ToCommit(IEnumerable<TopicPartition>? only = null)
    {
        lock (_gate)
        {
            var filter = only?.ToHashSet();
            return _partitions
                .Where(kv => (filter is null || filter.Contains(kv.Key)) && kv.Value.Committable is { } c && c != kv.Value.Committed)
                .Select(kv => new TopicPartitionOffset(kv.Key, kv.Value.Committable!.Value))
                .ToList();
        }
    }

    public void MarkCommitted(IEnumerable<TopicPartitionOffset> offsets)
    {
        lock (_gate)
            foreach (var o in offsets)
                if (_partitions.TryGetValue(o.TopicPartition, out var p) && (p.Committed is null || p.Committed < o.Offset.Value))
                    p.Committed = o.Offset.Value;
    }

    /// <summary>Blocks until every fetched record of <paramref name="partitions"/> finished, or the timeout passes.</summary>
    public bool WaitDrained(IReadOnlyCollection<TopicPartition> partitions, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        lock (_gate)
        {
            while (partitions.Any(tp => _partitions.TryGetValue(tp, out var p) && p.Pending.Count > 0))
            {
                var left = deadline - DateTime.UtcNow;
                if (left <= TimeSpan.Zero || !Monitor.Wait(_gate, left))
                    return !partitions.Any(tp => _partitions.TryGetValue(tp, out var p) && p.Pending.Count > 0);
            }
            return true;
        }
    }

    public void Remove(IEnumerable<TopicPartition> partitions)
    {
        lock (_gate)
            foreach (var tp in partitions)
                _partitions.Remove(tp);
    }

    Partition Get(TopicPartition tp)
    {
        if (!_partitions.TryGetValue(tp, out var p))
            _partitions[tp] = p = new Partition();
        return p;
    }
}
