using System.Diagnostics.Metrics;

namespace SagaDemo.Kafka.Monitoring;

/// <summary>
/// Meter <c>SagaDemo.Kafka</c>: record counters per topic (and consumer group), offset-commit latency, and the
/// two kafka_exporter-compatible gauges fed by librdkafka statistics. Label names follow kafka_exporter
/// (<c>consumergroup</c>, <c>topic</c>, <c>partition</c>) so dashboards and HPA rules written for it work
/// unchanged; instrument names without dots are exported to Prometheus exactly as written.
/// </summary>
public sealed class KafkaMetrics : IDisposable
{
    public const string MeterName = "SagaDemo.Kafka";
    public const string GroupLabel = "consumergroup";

    /// <summary>Prometheus names (see PrometheusNaming: dotted names get unit and _total suffixes).</summary>
    public const string ProducedName = "sagademo.kafka.records.produced";      // sagademo_kafka_records_produced_total
    public const string ConsumedName = "sagademo.kafka.records.consumed";      // sagademo_kafka_records_consumed_total
    public const string DeadLettersName = "sagademo.kafka.dead_letters";       // sagademo_kafka_dead_letters_total
    public const string DeadLetterFailuresName = "sagademo.kafka.dead_letter_failures"; // sagademo_kafka_dead_letter_failures_total
    public const string RecordsLostName = "sagademo.kafka.records.lost";       // sagademo_kafka_records_lost_total
    public const string CommitDurationName = "sagademo.kafka.commit.duration"; // sagademo_kafka_commit_duration_seconds
    public const string LagName = "kafka_consumergroup_lag";
    public const string CurrentOffsetName = "kafka_topic_partition_current_offset";

    /// <summary>Offset commits are one broker round trip: milliseconds normally, seconds when the coordinator struggles.</summary>
    static readonly double[] CommitBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    readonly Meter _meter;
    readonly Counter<long> _produced;
    readonly Counter<long> _consumed;
    readonly Counter<long> _deadLettered;
    readonly Counter<long> _deadLetterFailed;
    readonly Counter<long> _lost;
    readonly Histogram<double> _commitDuration;

    public KafkaMetrics(IKafkaLagMonitor lag, IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _produced = _meter.CreateCounter<long>(ProducedName, "{record}", "Records acknowledged by Kafka");
        _consumed = _meter.CreateCounter<long>(ConsumedName, "{record}", "Records whose processing finished (handled or dead-lettered)");
        _deadLettered = _meter.CreateCounter<long>(DeadLettersName, "{record}", "Records moved to a dead-letter topic");
        _deadLetterFailed = _meter.CreateCounter<long>(DeadLetterFailuresName, "{record}",
            "Records given up on that could not be written to their dead-letter topic either (left at their offset, logged)");
        _lost = _meter.CreateCounter<long>(RecordsLostName, "{record}",
            "Records deleted by the broker's retention before the consumer group read them (offset out of range; logged at Error)");
        _commitDuration = _meter.CreateHistogram<double>(CommitDurationName, "s", "Duration of offset commits to the group coordinator",
            tags: null, advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = CommitBuckets });
        _meter.CreateObservableGauge(LagName, () => lag.Snapshot().Select(l =>
            new Measurement<long>(l.Lag,
                new KeyValuePair<string, object?>(GroupLabel, l.Group),
                new KeyValuePair<string, object?>("topic", l.Topic),
                new KeyValuePair<string, object?>("partition", l.Partition))),
            "{record}", "Records in the partition not yet committed by the consumer group (kafka_exporter compatible)");
        _meter.CreateObservableGauge(CurrentOffsetName, () => lag.EndOffsets().Select(e =>
            new Measurement<long>(e.Offset,
                new KeyValuePair<string, object?>("topic", e.Topic),
                new KeyValuePair<string, object?>("partition", e.Partition))),
            "{offset}", "Log-end offset of the partition, seen by this process's consumers (kafka_exporter compatible)");
    }

    public void Produced(string topic) => _produced.Add(1, new KeyValuePair<string, object?>("topic", topic));

    public void Consumed(string topic, string group) =>
        _consumed.Add(1, new KeyValuePair<string, object?>("topic", topic), new KeyValuePair<string, object?>(GroupLabel, group));

    public void DeadLettered(string topic, string group) =>
        _deadLettered.Add(1, new KeyValuePair<string, object?>("topic", topic), new KeyValuePair<string, object?>(GroupLabel, group));

    public void DeadLetterFailed(string topic, string group) =>
        _deadLetterFailed.Add(1, new KeyValuePair<string, object?>("topic", topic), new KeyValuePair<string, object?>(GroupLabel, group));

    public void RecordsLost(string topic, string group, long count) =>
        _lost.Add(count, new KeyValuePair<string, object?>("topic", topic), new KeyValuePair<string, object?>(GroupLabel, group));

    public void Committed(string group, TimeSpan duration, bool succeeded) =>
        _commitDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>(GroupLabel, group),
            new KeyValuePair<string, object?>("outcome", succeeded ? "success" : "failure"));

    public void Dispose() => _meter.Dispose();
}
