using System.Diagnostics.Metrics;

namespace SagaDemo.Kafka.Monitoring;

/// <summary>Meter <c>SagaDemo.Kafka</c>: record counters per topic (and group), lag per partition.</summary>
public sealed class KafkaMetrics : IDisposable
{
    public const string MeterName = "SagaDemo.Kafka";

    readonly Meter _meter;
    readonly Counter<long> _produced;
    readonly Counter<long> _consumed;
    readonly Counter<long> _deadLettered;

    public KafkaMetrics(IKafkaLagMonitor lag, IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _produced = _meter.CreateCounter<long>("sagademo.kafka.records.produced", "{record}", "Records acknowledged by Kafka");
        _consumed = _meter.CreateCounter<long>("sagademo.kafka.records.consumed", "{record}", "Records whose processing finished");
        _deadLettered = _meter.CreateCounter<long>("sagademo.kafka.records.dead_lettered", "{record}", "Records moved to a dead-letter topic");
        _meter.CreateObservableGauge("sagademo.kafka.consumer.lag", () => lag.Snapshot().Select(l =>
            new Measurement<long>(l.Lag,
                new KeyValuePair<string, object?>("topic", l.Topic),
                new KeyValuePair<string, object?>("partition", l.Partition),
                new KeyValuePair<string, object?>("consumer_group", l.Group))),
            "{record}", "Records in the partition not yet consumed by the group");
    }

    public void Produced(string topic) => _produced.Add(1, new KeyValuePair<string, object?>("topic", topic));

    public void Consumed(string topic, string group) =>
        _consumed.Add(1, new KeyValuePair<string, object?>("topic", topic), new KeyValuePair<string, object?>("consumer_group", group));

    public void DeadLettered(string topic, string group) =>
        _deadLettered.Add(1, new KeyValuePair<string, object?>("topic", topic), new KeyValuePair<string, object?>("consumer_group", group));

    public void Dispose() => _meter.Dispose();
}
