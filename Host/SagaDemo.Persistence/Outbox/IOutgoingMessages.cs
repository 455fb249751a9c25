namespace SagaDemo.Persistence.Outbox;

/// <summary>A unit of work that takes outgoing messages and writes them to its schema's outbox when it commits.</summary>
public interface IOutgoingMessages
{
    void AddOutgoing(OutboxMessage message);
}
