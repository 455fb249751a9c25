using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using SagaDemo.Kafka.Monitoring;
using SagaDemo.Kafka.Producing;
using SagaDemo.Kafka.Topology;

namespace SagaDemo.Kafka.Consuming;

/// <summary>
/// Copies a record a consumer group gave up on to <c>&lt;topic&gt;.dead-letter</c>: same key, value and headers,
/// plus why and where it came from. Keeps trying until Kafka acknowledges: the original's offset must not be
/// committed while the copy could still be lost.
/// </summary>
public sealed class DeadLetterWriter(KafkaMessageProducer producer, KafkaMetrics metrics, ILogger<DeadLetterWriter> logger)
{
    public async Task WriteAsync(ConsumeResult<string?, byte[]> record, string group, Exception error, CancellationToken cancellationToken)
    {
        var headers = new Headers();
        foreach (var header in record.Message.Headers ?? [])
            headers.Add(header.Key, header.GetValueBytes());
        Add(headers, KafkaHeaderNames.DeadLetterError, error.Message);
        Add(headers, KafkaHeaderNames.DeadLetterExceptionType, error.GetType().FullName ?? error.GetType().Name);
        Add(headers, KafkaHeaderNames.DeadLetterTopic, record.Topic);
        Add(headers, KafkaHeaderNames.DeadLetterPartition, record.Partition.Value.ToString());
        Add(headers, KafkaHeaderNames.DeadLetterOffset, record.Offset.Value.ToString());
        Add(headers, KafkaHeaderNames.DeadLetterConsumerGroup, group);

        var topic = TopicCatalog.DeadLetterTopic(record.Topic);
        logger.LogWarning(error, "Dead-lettering {Topic}/{Partition}@{Offset} of group {Group} to {DeadLetterTopic}",
            record.Topic, record.Partition.Value, record.Offset.Value, group, topic);
        while (true)
        {
            try
            {
                await producer.ProduceAsync(topic, record.Message.Key, record.Message.Value ?? [], headers, cancellationToken);
                metrics.DeadLettered(record.Topic, group);
                return;
            }
            catch (ProduceException<string?, byte[]> ex)
            {
                logger.LogError("Dead-letter produce to {Topic} failed ({Reason}); retrying", topic, ex.Error.Reason);
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }
    }

    static void Add(Headers headers, string name, string value) => headers.Add(name, Encoding.UTF8.GetBytes(value));
}
