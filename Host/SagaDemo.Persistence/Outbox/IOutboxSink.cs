namespace SagaDemo.Persistence.Outbox;

/// <summary>
/// Where the relay hands outbox messages (the Kafka producer in production). Return only when every
/// message of the batch is durably accepted, in the given order; throw to have the whole batch retried
/// later. Delivery is at-least-once: a crash after the sink accepted but before the rows were removed
/// delivers again, so consumers dedupe by <see cref="OutboxMessage.MessageId"/> (see the inbox).
/// </summary>
public interface IOutboxSink
{
    Task DeliverAsync(IReadOnlyList<OutboxEntry> batch, CancellationToken cancellationToken);
}
