using MassTransit;

namespace SagaDemo.Persistence.Outbox;

/// <summary>Receives the messages a consumer sends or publishes while the outbox captures them.</summary>
public interface IOutboxCollector
{
    /// <summary>Record key given to captured messages (the saga's correlation id), or null.</summary>
    string? Key { get; }

    /// <summary>
    /// Fills what the transport would take from the consumed message (conversation, initiator, source),
    /// before the send pipe runs; the pipe may still override it.
    /// </summary>
    void ApplyConsumeContextHeaders(SendContext context);

    void Add(OutboxMessage message);
}
