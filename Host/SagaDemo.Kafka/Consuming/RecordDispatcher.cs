using System.Text;
using Confluent.Kafka;
using MassTransit;
using SagaDemo.Kafka.Monitoring;
using SagaDemo.Kafka.Signing;
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
            var headers = Read(record);
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

    Dictionary<string, object> Read(ConsumeResult<string?, byte[]> record)
    {
        var valid = validator.Validate(record, Header(record, KafkaHeaderNames.MessageType));

        var headers = new Dictionary<string, object>(StringComparer.OrdinalIgnoreCase)
        {
            [MessageHeaders.ContentType] = "application/json",
            [MessageHeaders.MessageType] = MessageUrn.ForTypeString(valid.MessageType),
        };
        var messageId = Guid.TryParse(Header(record, KafkaHeaderNames.MessageId), out var id) ? id.ToString("D") : null;
        headers[MessageHeaders.MessageId] = ConsumedMessageId.Of(record, messageId, valid.Origin).ToString("D");
        CopyGuid(record, KafkaHeaderNames.CorrelationId, MessageHeaders.CorrelationId, headers);
        CopyGuid(record, KafkaHeaderNames.ConversationId, MessageHeaders.ConversationId, headers);
        // What a record without a conversation causes shares one, the same at every redelivery.
        headers.TryAdd(MessageHeaders.ConversationId, headers[MessageHeaders.MessageId]);
        if (!headers.ContainsKey(MessageHeaders.CorrelationId) && Guid.TryParse(record.Message.Key, out var keyId))
            headers[MessageHeaders.CorrelationId] = keyId.ToString("D");
        // Whose operation it is counts only when its producer said so; an open record is nobody's.
        if (valid.Origin != RecordOrigin.Open && Header(record, KafkaHeaderNames.ClientId) is { Length: > 0 } clientId)
            headers[KafkaHeaderNames.ClientId] = clientId;
        if (Header(record, KafkaHeaderNames.TraceParent) is { } traceParent)
        {
            headers[KafkaHeaderNames.TraceParent] = traceParent;
            // MassTransit takes a consume's parent span from its own header, not from traceparent: without this each
            // Kafka hop would start a new trace.
            headers[MassTransit.Logging.DiagnosticHeaders.ActivityId] = traceParent;
        }
        if (Header(record, KafkaHeaderNames.TraceState) is { } traceState)
            headers[KafkaHeaderNames.TraceState] = traceState;
        return headers;
    }

    static void CopyGuid(ConsumeResult<string?, byte[]> record, string kafkaName, string massTransitName, Dictionary<string, object> headers)
    {
        if (Guid.TryParse(Header(record, kafkaName), out var id))
            headers[massTransitName] = id.ToString("D");
    }

    static string? Header(ConsumeResult<string?, byte[]> record, string name) =>
        record.Message.Headers is { } h && h.TryGetLastBytes(name, out var bytes) ? Encoding.UTF8.GetString(bytes) : null;

    // MassTransit wraps handler failures (a saga's in "The <event> execution faulted"); the dead-letter record should
    // name the handler's own exception and reason.
    static Exception Unwrap(Exception ex) => ex switch
    {
        AggregateException { InnerExceptions.Count: 1 } a => Unwrap(a.InnerException!),
        MassTransitException { InnerException: { } inner } => Unwrap(inner),
        _ => ex,
    };
}
