using System.Text;
using Confluent.Kafka;
using MassTransit;
using SagaDemo.Kafka.Monitoring;
using SagaDemo.Kafka.Topology;

namespace SagaDemo.Kafka.Consuming;

/// <summary>
/// Runs one record through its MassTransit receive endpoint. Returns when the record is done with: handled
/// (retries included), or, when it cannot be read or its handling failed for good, dead-lettered. Throws only
/// when cancelled, and then the record counts as not done.
/// </summary>
public sealed class RecordDispatcher(RecordValidator validator, EndpointDispatchers dispatchers, DeadLetterWriter deadLetters, KafkaMetrics metrics)
{
    public async Task ProcessAsync(ConsumeResult<string?, byte[]> record, TopicEndpoint endpoint, CancellationToken cancellationToken)
    {
        try
        {
            var headers = Read(record, out var messageType);
            var context = new KafkaRecordContext(endpoint.Group, record.Topic, record.Partition.Value, record.Offset.Value,
                record.Message.Key, record.Message.Timestamp.UtcDateTime);
            await dispatchers.For(endpoint.EndpointName).Dispatch(record.Message.Value, headers, cancellationToken, context);
            metrics.Consumed(record.Topic, endpoint.Group);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            await deadLetters.WriteAsync(record, endpoint.Group, Unwrap(ex), cancellationToken);
            metrics.Consumed(record.Topic, endpoint.Group);
        }
    }

    Dictionary<string, object> Read(ConsumeResult<string?, byte[]> record, out Type messageType)
    {
        messageType = validator.Validate(record, Header(record, KafkaHeaderNames.MessageType));

        var headers = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase)
        {
            [MessageHeaders.ContentType] = "application/json",
            [MessageHeaders.MessageType] = MessageUrn.ForTypeString(messageType),
        };
        CopyGuid(record, KafkaHeaderNames.MessageId, MessageHeaders.MessageId, headers);
        CopyGuid(record, KafkaHeaderNames.CorrelationId, MessageHeaders.CorrelationId, headers);
        CopyGuid(record, KafkaHeaderNames.ConversationId, MessageHeaders.ConversationId, headers);
        // A plain record (kcat, other clients) gets ids derived from where it sits, so every redelivery of it
        // carries the same MessageId and what it causes shares one conversation.
        headers.TryAdd(MessageHeaders.MessageId, RecordId(record).ToString("D"));
        headers.TryAdd(MessageHeaders.ConversationId, headers[MessageHeaders.MessageId]);
        if (!headers.ContainsKey(MessageHeaders.CorrelationId) && Guid.TryParse(record.Message.Key, out var keyId))
            headers[MessageHeaders.CorrelationId] = keyId.ToString("D");
        foreach (var name in new[] { KafkaHeaderNames.TraceParent, KafkaHeaderNames.TraceState })
            if (Header(record, name) is { } value)
                headers[name] = value;
        // MassTransit takes a consume's parent span from its own header, not from traceparent: without this each
        // Kafka hop would start a new trace.
        if (headers.TryGetValue(KafkaHeaderNames.TraceParent, out var traceParent))
            headers[MassTransit.Logging.DiagnosticHeaders.ActivityId] = traceParent;
        return headers;
    }

    static Guid RecordId(ConsumeResult<string?, byte[]> record) =>
        new(System.Security.Cryptography.MD5.HashData(Encoding.UTF8.GetBytes($"{record.Topic}/{record.Partition.Value}/{record.Offset.Value}")));

    static void CopyGuid(ConsumeResult<string?, byte[]> record, string kafkaName, string massTransitName, Dictionary<string, object> headers)
    {
        if (Guid.TryParse(Header(record, kafkaName), out var id))
            headers[massTransitName] = id.ToString("D");
    }

    static string? Header(ConsumeResult<string?, byte[]> record, string name) =>
        record.Message.Headers is { } h && h.TryGetLastBytes(name, out var bytes) ? Encoding.UTF8.GetString(bytes) : null;

    // MassTransit wraps handler failures; the dead-letter record should name the handler's own exception.
    static Exception Unwrap(Exception ex) => ex is AggregateException { InnerExceptions.Count: 1 } a ? Unwrap(a.InnerException!) : ex;
}
