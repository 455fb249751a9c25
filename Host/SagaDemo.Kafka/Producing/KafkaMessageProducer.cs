using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SagaDemo.Kafka.Configuration;
using SagaDemo.Kafka.Embedded;
using SagaDemo.Kafka.Monitoring;

namespace SagaDemo.Kafka.Producing;

/// <summary>
/// The process's one idempotent producer (acks=all). <see cref="ProduceAsync"/> completes only when Kafka
/// acknowledged the record, which is what lets a consumed record's offset be committed after its effects.
/// </summary>
public sealed class KafkaMessageProducer : IDisposable
{
    readonly Lazy<IProducer<string?, byte[]>> _producer;
    readonly KafkaMetrics _metrics;

    public KafkaMessageProducer(KafkaBootstrap bootstrap, IOptions<KafkaOptions> options, KafkaMetrics metrics,
        ILogger<KafkaMessageProducer> logger)
    {
        _metrics = metrics;
        _producer = new Lazy<IProducer<string?, byte[]>>(() =>
            new ProducerBuilder<string?, byte[]>(KafkaClientConfigs.Producer(options.Value, bootstrap.BootstrapServers))
                .SetErrorHandler((_, e) => logger.Log(e.IsFatal ? LogLevel.Critical : LogLevel.Warning,
                    "Kafka producer error {Code}: {Reason}", e.Code, e.Reason))
                .SetLogHandler((_, m) => logger.LogDebug("librdkafka {Facility}: {Message}", m.Facility, m.Message))
                .Build());
    }

    public async Task<DeliveryResult<string?, byte[]>> ProduceAsync(string topic, string? key, byte[] value, Headers headers,
        CancellationToken cancellationToken = default)
    {
        var result = await _producer.Value.ProduceAsync(topic, new Message<string?, byte[]> { Key = key, Value = value, Headers = headers },
            cancellationToken);
        _metrics.Produced(topic);
        return result;
    }

    public void Dispose()
    {
        if (!_producer.IsValueCreated)
            return;
        // Whatever was accepted but not yet acknowledged gets its chance before the process ends.
        _producer.Value.Flush(TimeSpan.FromSeconds(10));
        _producer.Value.Dispose();
    }
}
