using System.Text.Json;
using MassTransit;

namespace SagaDemo.Persistence.Outbox;

/// <summary>
/// Publishes outbox messages on the MassTransit bus (its in-memory transport in the embedded mode and
/// in tests), keeping message id and conversation so consumers' inboxes see the original ids.
/// </summary>
public sealed class BusOutboxSink(IBus bus, MessageDestinations destinations) : IOutboxSink
{
    public async Task DeliverAsync(IReadOnlyList<OutboxEntry> batch, CancellationToken cancellationToken)
    {
        foreach (var entry in batch)
        {
            var message = entry.Message;
            var (type, body) = Read(entry);
            await bus.Publish(body, type, context =>
            {
                context.MessageId = message.MessageId;
                context.CorrelationId = HeaderGuid(message, OutboxHeaders.CorrelationId);
                context.ConversationId = HeaderGuid(message, OutboxHeaders.ConversationId);
                context.InitiatorId = HeaderGuid(message, OutboxHeaders.InitiatorId);
            }, cancellationToken);
        }
    }

    // A row that names no contract type, or whose body is not one, never will be: parked instead of retried.
    (Type Type, object Body) Read(OutboxEntry entry)
    {
        var type = destinations.Resolve(entry.Message.MessageType)
            ?? throw new OutboxUndeliverableException([new(entry.Id, $"{entry.Message.MessageType} is no message type of the contract")]);
        try
        {
            return (type, JsonSerializer.Deserialize(entry.Message.Body, type, PersistenceJson.Options)
                ?? throw new JsonException("the body is null"));
        }
        catch (JsonException e)
        {
            throw new OutboxUndeliverableException([new(entry.Id, $"the body is not a {type.Name}: {e.Message}")]);
        }
    }

    static Guid? HeaderGuid(OutboxMessage message, string name) =>
        message.Headers.TryGetValue(name, out var value) && Guid.TryParse(value, out var id) ? id : null;
}
