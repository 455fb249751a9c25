using Confluent.Kafka;
using SagaDemo.Kafka.Signing;
using SagaDemo.Kafka.Topology;

namespace SagaDemo.Kafka.Producing;

/// <summary>One message as a Kafka record: what both ways out (the publish filter and the outbox sink) produce.</summary>
public sealed record OutgoingRecord(
    string Topic,
    string? Key,
    byte[] Value,
    string MessageType,
    Guid MessageId,
    string? CorrelationId = null,
    string? ConversationId = null,
    string? TraceParent = null,
    string? TraceState = null,
    string? ClientId = null);

/// <summary>
/// Builds the headers of every record the rider writes, signature last, so a record reads and verifies the same
/// whichever way it went out.
/// </summary>
public sealed class OutgoingRecords(RecordSignatures signatures)
{
    public Headers HeadersOf(OutgoingRecord record)
    {
        var headers = new Headers();
        headers.AddIfPresent(KafkaHeaderNames.MessageType, record.MessageType);
        headers.AddIfPresent(KafkaHeaderNames.MessageId, record.MessageId.ToString("D"));
        headers.AddIfPresent(KafkaHeaderNames.CorrelationId, record.CorrelationId ?? record.Key);
        headers.AddIfPresent(KafkaHeaderNames.ConversationId, record.ConversationId);
        headers.AddIfPresent(KafkaHeaderNames.TraceParent, record.TraceParent);
        headers.AddIfPresent(KafkaHeaderNames.TraceState, record.TraceState);
        headers.AddIfPresent(KafkaHeaderNames.ClientId, record.ClientId);
        signatures.Sign(headers, record.Topic, record.Key, record.Value);
        return headers;
    }
}
