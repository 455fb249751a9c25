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
/// between the persistence layer and the rider, which know nothing of each other. A record is built and signed by
/// the same <see cref="OutgoingRecords"/> as one the rider's publish filter writes, so consumers cannot tell whether
/// a message went through an outbox.
/// </summary>
/// <remarks>
/// The whole batch is handed to librdkafka first and then awaited: idempotence keeps the per-partition order
/// even across retries, and one round trip serves many rows. Any failed record fails the batch, so the relay
/// keeps the rows and tries again (consumers dedupe redelivered message ids in their inbox); a record Kafka refuses
/// for good (too large, not authorized) is reported as undeliverable, and the relay parks its row.
/// </remarks>
public sealed class KafkaOutboxSink(KafkaMessageProducer producer, TopicCatalog catalog, OutgoingRecords records)
    : IOutboxSink
{
    /// <summary>Where rows go whose destination is no topic of the catalog (a type no topic carries): kept, not lost.</summary>
    public const string UndeliverableTopic = "outbox" + TopicCatalog.DeadLetterSuffix;

    // The rider's catalog, read as the outbox stores types.
    readonly MessageDestinations _destinations = new(catalog.TopicByType);

    public async Task DeliverAsync(IReadOnlyList<OutboxEntry> batch, CancellationToken cancellationToken)
    {
        var acknowledgements = new List<(OutboxEntry Entry, Task Ack)>(batch.Count);
        foreach (var entry in batch)
        {
            var record = ToRecord(entry);
            // ProduceAsync enqueues before it returns: calling it in row order keeps the rows' order.
            acknowledgements.Add((entry, producer.ProduceAsync(record.Topic, record.Key, record.Value, record.Headers, cancellationToken)));
        }
        try
        {
            await Task.WhenAll(acknowledgements.Select(a => a.Ack));
        }
        catch (ProduceException<string?, byte[]>)
        {
            var refused = acknowledgements
                .Where(a => a.Ack.Exception?.InnerException is ProduceException<string?, byte[]> p && KafkaRefusals.IsPermanent(p.Error.Code))
                .Select(a => new UndeliverableRow(a.Entry.Id, ((ProduceException<string?, byte[]>)a.Ack.Exception!.InnerException!).Error.Reason))
                .ToList();
            if (refused.Count > 0)
                throw new OutboxUndeliverableException(refused);
            throw;
        }
    }

    KafkaRecord ToRecord(OutboxEntry entry)
    {
        var row = entry.Message;
        var type = _destinations.Resolve(row.MessageType);
        var message = type is null ? null : Read(row.Body, type);
        var topic = message is not null && catalog.IsKnownTopic(row.Destination) ? row.Destination
            : message is not null && catalog.TryGetTopic(type!, out var byType) ? byType
            : UndeliverableTopic;

        // The message's own correlation property first, as for a direct publish, so every record of one
        // operation lands in one partition whichever path it took; then the row's key.
        var fallbackKey = row.Key ?? Header(row, OutboxHeaders.CorrelationId);
        var context = new RecordContext(
            CorrelationId: Header(row, OutboxHeaders.CorrelationId),
            ConversationId: Header(row, OutboxHeaders.ConversationId),
            TraceParent: Header(row, KafkaHeaderNames.TraceParent),
            TraceState: Header(row, KafkaHeaderNames.TraceState),
            ClientId: Header(row, KafkaHeaderNames.ClientId));
        var record = message is null
            ? records.Of(new OutgoingRecord(topic, fallbackKey, Encoding.UTF8.GetBytes(row.Body), type?.Name ?? row.MessageType, row.MessageId, context))
            : records.Of(topic, message, row.MessageId, context, fallbackKey);
        if (topic == UndeliverableTopic)
        {
            record.Headers.AddIfPresent(KafkaHeaderNames.DeadLetterError,
                type is null ? $"Unknown message type {row.MessageType}" : $"No topic carries {row.Destination}");
            record.Headers.AddIfPresent(KafkaHeaderNames.DeadLetterTopic, row.Destination);
        }
        return record;
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
