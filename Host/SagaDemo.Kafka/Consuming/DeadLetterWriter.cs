using System.Text;
using Confluent.Kafka;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SagaDemo.Kafka.Configuration;
using SagaDemo.Kafka.Monitoring;
using SagaDemo.Kafka.Producing;
using SagaDemo.Kafka.Topology;

namespace SagaDemo.Kafka.Consuming;

/// <summary>
/// Copies a record a consumer group gave up on to <c>&lt;topic&gt;.dead-letter</c>: same key, value and headers,
/// plus why and where it came from. Tries <see cref="KafkaOptions.DeadLetterAttempts"/> times, waiting longer after
/// each failure; a copy Kafka still refuses then (the dead-letter topic is gone or not writable, the broker is away
/// for many minutes) is given up with an error log line naming the original's topic, partition and offset and a
/// count in <c>sagademo_kafka_dead_letter_failures_total</c>, and the partition goes on: one bad record must not stop
/// every record behind it. The original stays readable at that offset until the topic's retention removes it.
/// </summary>
/// <remarks>
/// A copy too large for the producer's or the broker's message size limit can never be written, and retrying it
/// would wedge the partition. Such a copy drops the value (and an overlong key), then the original headers, and
/// says so in <see cref="KafkaHeaderNames.DeadLetterOmitted"/>; the original stays readable at the offset the
/// headers name until the topic's retention removes it.
/// </remarks>
public sealed class DeadLetterWriter(KafkaMessageProducer producer, KafkaMetrics metrics, IOptions<KafkaOptions> options,
    ILogger<DeadLetterWriter> logger)
{
    static readonly TimeSpan MaxRetryDelay = TimeSpan.FromSeconds(30);

    // Reasons are for people; a handler's exception message has no bound of its own.
    const int MaxErrorLength = 4096;
    // A UUID key is 36 characters; anything much longer is part of what made the record too large.
    const int MaxKeptKeyLength = 256;

    public async Task WriteAsync(ConsumeResult<string?, byte[]> record, string group, Exception error, CancellationToken cancellationToken)
    {
        var topic = TopicCatalog.DeadLetterTopic(record.Topic);
        logger.LogWarning(error, "Dead-lettering {Topic}/{Partition}@{Offset} of group {Group} to {DeadLetterTopic}",
            record.Topic, record.Partition.Value, record.Offset.Value, group, topic);
        var copy = Copy.Whole(record, group, error);
        var delay = options.Value.DeadLetterRetryDelay;
        for (var failures = 0; ;)
        {
            try
            {
                await producer.ProduceAsync(topic, copy.Key, copy.Value, copy.Headers(), cancellationToken);
                metrics.DeadLettered(record.Topic, group);
                return;
            }
            catch (ProduceException<string?, byte[]> ex) when (KafkaRefusals.IsTooLarge(ex.Error.Code) && copy.Smaller() is { } smaller)
            {
                logger.LogWarning("Dead-letter copy of {Topic}/{Partition}@{Offset} is too large ({Reason}); writing it without {Omitted}",
                    record.Topic, record.Partition.Value, record.Offset.Value, ex.Error.Reason, smaller.Omitted);
                copy = smaller;
            }
            catch (ProduceException<string?, byte[]> ex) when (++failures < options.Value.DeadLetterAttempts)
            {
                logger.LogError("Dead-letter produce to {Topic} failed ({Reason}); attempt {Attempt} of {Attempts}, next in {Delay}",
                    topic, ex.Error.Reason, failures, options.Value.DeadLetterAttempts, delay);
                await Task.Delay(delay, cancellationToken);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetryDelay.Ticks));
            }
            catch (ProduceException<string?, byte[]> ex)
            {
                logger.LogCritical(error,
                    "Giving up dead-lettering {Topic}/{Partition}@{Offset} of group {Group} after {Attempts} attempts ({Reason}); " +
                    "the group moves past it, the original stays at that offset until retention removes it. Why it was refused: {Error}",
                    record.Topic, record.Partition.Value, record.Offset.Value, group, failures, ex.Error.Reason, copy.Error);
                metrics.DeadLetterFailed(record.Topic, group);
                return;
            }
        }
    }

    /// <summary>What goes to the dead-letter topic: the whole record first, then ever less of it.</summary>
    sealed record Copy(ConsumeResult<string?, byte[]> Record, string Group, string Error, string ExceptionType, string? Key,
        byte[] Value, bool OriginalHeaders, IReadOnlyList<string> Dropped)
    {
        public static Copy Whole(ConsumeResult<string?, byte[]> record, string group, Exception error) =>
            new(record, group, error.Message.Length <= MaxErrorLength ? error.Message : error.Message[..MaxErrorLength] + "...",
                error.GetType().FullName ?? error.GetType().Name, record.Message.Key, record.Message.Value ?? [], OriginalHeaders: true, Dropped: []);

        public string Omitted => string.Join(", ", Dropped);

        /// <summary>The next smaller copy, or null when there is nothing left to drop.</summary>
        public Copy? Smaller()
        {
            var longKey = Key is { Length: > MaxKeptKeyLength };
            if (Value.Length > 0 || longKey)
                return this with
                {
                    Value = [],
                    Key = longKey ? null : Key,
                    Dropped = [.. Dropped, $"value ({Value.Length} bytes)", .. longKey ? [$"key ({Key!.Length} characters)"] : Array.Empty<string>()],
                };
            if (OriginalHeaders && Record.Message.Headers is { Count: > 0 })
                return this with { OriginalHeaders = false, Dropped = [.. Dropped, "original headers"] };
            return null;
        }

        public Headers Headers()
        {
            var headers = new Headers();
            if (OriginalHeaders)
                foreach (var header in Record.Message.Headers ?? [])
                    headers.Add(header.Key, header.GetValueBytes());
            Add(headers, KafkaHeaderNames.DeadLetterError, Error);
            Add(headers, KafkaHeaderNames.DeadLetterExceptionType, ExceptionType);
            Add(headers, KafkaHeaderNames.DeadLetterTopic, Record.Topic);
            Add(headers, KafkaHeaderNames.DeadLetterPartition, Record.Partition.Value.ToString());
            Add(headers, KafkaHeaderNames.DeadLetterOffset, Record.Offset.Value.ToString());
            Add(headers, KafkaHeaderNames.DeadLetterConsumerGroup, Group);
            if (Dropped.Count > 0)
                Add(headers, KafkaHeaderNames.DeadLetterOmitted,
                    $"{Omitted} left out: too large for the dead-letter topic; the original is at {Record.Topic}/{Record.Partition.Value}@{Record.Offset.Value} until retention removes it");
            return headers;
        }

        static void Add(Headers headers, string name, string value) => headers.Add(name, Encoding.UTF8.GetBytes(value));
    }
}
