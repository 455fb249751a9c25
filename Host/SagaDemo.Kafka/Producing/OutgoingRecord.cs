using System.Text.Json;
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
    RecordContext? Context = null);

/// <summary>The headers a record carries on from the send that made it (ids, trace context, the API client).</summary>
public sealed record RecordContext(
    string? CorrelationId = null,
    string? ConversationId = null,
    string? TraceParent = null,
    string? TraceState = null,
    string? ClientId = null);

/// <summary>A record as it goes to the producer.</summary>
public sealed record KafkaRecord(string Topic, string? Key, byte[] Value, Headers Headers);

/// <summary>
/// Builds every record the rider writes (key, value, headers, signature last), so a record reads and verifies the
/// same whichever way it went out.
/// </summary>
public sealed class OutgoingRecords(RecordSignatures signatures, MessageKeySelector keys)
{
    /// <summary>
    /// The record of a message: keyed by its correlation id (<see cref="MessageKeySelector"/>), else by
    /// <paramref name="fallbackKey"/>; its value the message's wire JSON.
    /// </summary>
    public KafkaRecord Of(string topic, object message, Guid messageId, RecordContext context, string? fallbackKey)
    {
        var type = message.GetType();
        var key = keys.KeyOf(message, null) ?? fallbackKey;
        var value = JsonSerializer.SerializeToUtf8Bytes(message, type, WireJson.Options);
        return Of(new OutgoingRecord(topic, key, value, type.Name, messageId, context));
    }

    public KafkaRecord Of(OutgoingRecord record) => new(record.Topic, record.Key, record.Value, HeadersOf(record));

    public Headers HeadersOf(OutgoingRecord record)
    {
        var context = record.Context ?? new RecordContext();
        var headers = new Headers();
        headers.AddIfPresent(KafkaHeaderNames.MessageType, record.MessageType);
        headers.AddIfPresent(KafkaHeaderNames.MessageId, record.MessageId.ToString("D"));
        headers.AddIfPresent(KafkaHeaderNames.CorrelationId, context.CorrelationId ?? record.Key);
        headers.AddIfPresent(KafkaHeaderNames.ConversationId, context.ConversationId);
        headers.AddIfPresent(KafkaHeaderNames.TraceParent, context.TraceParent);
        headers.AddIfPresent(KafkaHeaderNames.TraceState, context.TraceState);
        headers.AddIfPresent(KafkaHeaderNames.ClientId, context.ClientId);
        signatures.Sign(headers, record.Topic, record.Key, record.Value);
        return headers;
    }
}
