namespace SagaDemo.Kafka.Monitoring;

/// <summary>Records of a partition a consumer group never read: retention deleted them before it got there.</summary>
public sealed record RecordLoss(string Group, string Topic, int Partition, long FromOffset, long ToOffset, DateTimeOffset At)
{
    /// <summary>Offsets FromOffset .. ToOffset - 1 were skipped.</summary>
    public long Count => ToOffset - FromOffset;
}

/// <summary>
/// Every record loss the consumers of this process found: counted in <c>sagademo_kafka_records_lost_total</c> and kept for
/// readiness, which turns unhealthy for a while after each loss (see <see cref="Configuration.KafkaOptions.RecordLossUnready"/>).
/// </summary>
public sealed class RecordLossMonitor(KafkaMetrics? metrics = null, TimeProvider? clock = null)
{
    readonly TimeProvider _clock = clock ?? TimeProvider.System;
    readonly object _gate = new();
    RecordLoss? _latest;
    long _total;

    public RecordLoss Report(string group, string topic, int partition, long fromOffset, long toOffset)
    {
        var loss = new RecordLoss(group, topic, partition, fromOffset, toOffset, _clock.GetUtcNow());
        lock (_gate)
        {
            _latest = loss;
            _total += loss.Count;
        }
        metrics?.RecordsLost(topic, group, loss.Count);
        return loss;
    }

    /// <summary>The most recent loss, or null while none happened.</summary>
    public RecordLoss? Latest
    {
        get { lock (_gate) return _latest; }
    }

    /// <summary>Records lost since the process started.</summary>
    public long TotalLost
    {
        get { lock (_gate) return _total; }
    }
}
