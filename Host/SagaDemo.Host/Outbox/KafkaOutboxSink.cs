using System.Text;
using System.Text.Json;
using Confluent.Kafka;
using SagaDemo.Kafka.Producing;
using SagaDemo.Kafka.Topology;
using SagaDemo.Persistence;
using SagaDemo.Persistence.Outbox;

namespace SagaDemo.Host.Outbox;

/// <summary>
/// Delivers outbox rows straight to Kafka through the rider's idempotent producer (acks=all): the bridge
/// between the persistence layer and the rider, which know nothing of each other. A record looks exactly
/// like one the rider's publish filter writes (topic, key, value in the rider's WireJson, headers), so consumers
/// cannot tell whether a message went through an outbox.
/// </summary>
/// <remarks>
/// The whole batch is handed to librdkafka first and then awaited: idempotence keeps the per-partition order
/// even across retries, and one round trip serves many rows. Any failed record fails the batch, so the relay
/// keeps the rows and tries again (consumers dedupe redelivered message ids in their inbox).
/// </remarks>
public sealed class KafkaOutboxSink(KafkaMessageProducer producer, MessageKeySelector keys, TopicCatalog catalog) : IOutboxSink
{
    /// <summary>Where rows go whose destination is no topic of the catalog (a type no topic carries): kept, not lost.</summary>
    public const string UndeliverableTopic = "outbox" + TopicCatalog.DeadLetterSuffix;

    public async Task DeliverAsync(IReadOnlyList<OutboxEntry> batch, CancellationToken cancellationToken)
    {
        var acknowledgements = new List<Task>(batch.Count);
        foreach (var entry in batch)
        {
            var (topic, key, value, headers) = ToRecord(entry);
            // ProduceAsync enqueues before it returns: calling it in row order keeps the rows' order.
            acknowledgements.Add(producer.ProduceAsync(topic, key, value, headers, cancellationToken));
        }
        await Task.WhenAll(acknowledgements);
    }

    (string Topic, string? Key, byte[] Value, Headers Headers) ToRecord(OutboxEntry entry)
    {
        var row = entry.Message;
        var type = Type.GetType(row.MessageType, throwOnError: false);
        var message = type is null ? null : Read(row.Body, type);
        var topic = message is not null && catalog.IsKnownTopic(row.Destination) ? row.Destination
            : message is not null && catalog.TryGetTopic(type!, out var byType) ? byType
            : UndeliverableTopic;

        // The message's own correlation property first, as for a direct publish, so every record of one
        // operation lands in one partition whichever path it took; then the row's key.
        var key = (message is null ? null : keys.KeyOf(message, null)) ?? row.Key ?? Header(row, OutboxHeaders.CorrelationId);
        var value = message is null ? Encoding.UTF8.GetBytes(row.Body) : JsonSerializer.SerializeToUtf8Bytes(message, type!, WireJson.Options);

        var headers = new Headers();
        headers.AddIfPresent(KafkaHeaderNames.MessageType, type?.Name ?? row.MessageType);
        headers.AddIfPresent(KafkaHeaderNames.MessageId, row.MessageId.ToString("D"));
        headers.AddIfPresent(KafkaHeaderNames.CorrelationId, Header(row, OutboxHeaders.CorrelationId) ?? key);
        headers.AddIfPresent(KafkaHeaderNames.ConversationId, Header(row, OutboxHeaders.ConversationId));
        headers.AddIfPresent(KafkaHeaderNames.TraceParent, Header(row, KafkaHeaderNames.TraceParent));
        headers.AddIfPresent(KafkaHeaderNames.TraceState, Header(row, KafkaHeaderNames.TraceState));
        if (topic == UndeliverableTopic)
        {
            headers.AddIfPresent(KafkaHeaderNames.DeadLetterError,
                type is null ? $"Unknown message type {row.MessageType}" : $"No topic carries {row.Destination}");
            headers.AddIfPresent(KafkaHeaderNames.DeadLetterTopic, row.Destination);
        }
        return (topic, key, value, headers);
    }

    // A row written by an older version whose type changed since cannot be read: it goes on as it is, dead-lettered.
    static object? Read(string body, Type type)
    {
        try
        {
            return JsonSerializer.Deserialize(body, type, PersistenceJson.Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    static string? Header(OutboxMessage row, string name) => row.Headers.TryGetValue(name, out var value) ? value : null;
}
