using System.Text.Json;
using MassTransit;

namespace SagaDemo.Persistence.Outbox;

/// <summary>
/// Publishes outbox messages on the MassTransit bus (its in-memory transport in the embedded mode and
/// in tests), keeping message id and conversation so consumers' inboxes see the original ids.
/// </summary>
public sealed class BusOutboxSink(IBus bus) : IOutboxSink
{
    public async Task DeliverAsync(IReadOnlyList<OutboxEntry> batch, CancellationToken cancellationToken)
    {
        foreach (var entry in batch)
        {
            var message = entry.Message;
            var type = Type.GetType(message.MessageType, throwOnError: true)!;
            var body = JsonSerializer.Deserialize(message.Body, type, PersistenceJson.Options)
                       ?? throw new InvalidOperationException($"Outbox row {entry.Id} has a null body.");
            await bus.Publish(body, type, context =>
            {
                context.MessageId = message.MessageId;
                context.CorrelationId = HeaderGuid(message, OutboxHeaders.CorrelationId);
                context.ConversationId = HeaderGuid(message, OutboxHeaders.ConversationId);
                context.InitiatorId = HeaderGuid(message, OutboxHeaders.InitiatorId);
            }, cancellationToken);
        }
    }

    static Guid? HeaderGuid(OutboxMessage message, string name) =>
        message.Headers.TryGetValue(name, out var value) && Guid.TryParse(value, out var id) ? id : null;
}
