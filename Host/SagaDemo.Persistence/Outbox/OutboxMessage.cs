namespace SagaDemo.Persistence.Outbox;

/// <summary>
/// A message to send once the transaction that produced it has committed.
/// <paramref name="Destination"/> is the Kafka topic (or an endpoint address for sends);
/// <paramref name="Key"/> the record key (the saga's correlation id); <paramref name="Body"/> camelCase JSON.
/// </summary>
public sealed record OutboxMessage(
    Guid MessageId,
    string Destination,
    string MessageType,
    string? Key,
    IReadOnlyDictionary<string, string> Headers,
    string Body);

/// <summary>An <see cref="OutboxMessage"/> as stored: <paramref name="Id"/> gives the delivery order.</summary>
public sealed record OutboxEntry(long Id, OutboxMessage Message, DateTimeOffset CreatedAt);

/// <summary>Header names the outbox fills from the send context.</summary>
public static class OutboxHeaders
{
    public const string MessageId = "message-id";
    public const string CorrelationId = "correlation-id";
    public const string ConversationId = "conversation-id";
    public const string InitiatorId = "initiator-id";
    public const string SourceAddress = "source-address";
}
